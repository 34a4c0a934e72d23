import { MotionConfig } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { Header } from './Header.tsx';
import { ConsolePanel } from '../console/ConsolePanel.tsx';
import { KeyspacePanel } from '../keyspace/KeyspacePanel.tsx';
import { TimelinePanel } from '../timeline/TimelinePanel.tsx';
import { useLiveClock } from '../timeline/use-live-clock.ts';
import { NarratorProvider } from '../Narrator.tsx';
import { SnapshotPanel } from '../persistence/SnapshotPanel.tsx';
import { PersistenceInfoPanel } from '../persistence/PersistenceInfoPanel.tsx';
import { ProcessesPanel } from '../processes/ProcessesPanel.tsx';
import { DiskPanel } from '../disk/DiskPanel.tsx';
import { ConfigPanel } from '../config/ConfigPanel.tsx';
import { ServerLogPanel } from '../server-log/ServerLogPanel.tsx';
import { InspectorPanel } from '../inspector/InspectorPanel.tsx';
import { AofPanel } from '../aof/AofPanel.tsx';
import { LifecyclePanel, ServerDownBanner } from '../lifecycle/LifecyclePanel.tsx';
import { CompareProvider } from '../compare/compare-context.tsx';
import { ComparePanel } from '../compare/ComparePanel.tsx';
import { LessonPanel } from '../lessons/LessonPanel.tsx';
import { useSettings } from '../settings/settings-context.tsx';
import { useShell } from '../share/shell-context.tsx';
import { EmbedBar } from '../share/EmbedBar.tsx';
import { PanelFilter } from '../share/PanelFilter.tsx';
import { UrlStateNotice } from '../share/UrlStateNotice.tsx';

/**
 * The lab's screen on a laptop: the timeline (with the clock) across the top; the console and the
 * keyspace on the inline start side; the snapshot commands, crash and restart, the processes and the disk on the other; below, across
 * both, the AOF log, the RDB inspector, then INFO persistence beside the server log. While the
 * server is down, a banner across the top says so. The whole grid mirrors in Arabic; a phone gets one column.
 */
export function App({ liveClock = true }: { liveClock?: boolean }) {
  const reducedMotion = useSettings((settings) => settings.reducedMotion);
  return (
    // Under prefers-reduced-motion ("user") or the in-app switch ("always"), transforms are dropped and fades kept.
    <MotionConfig reducedMotion={reducedMotion ? 'always' : 'user'}>
      <NarratorProvider>
        {liveClock && <LiveClock />}
        <CompareProvider>
          <AppShell />
        </CompareProvider>
      </NarratorProvider>
    </MotionConfig>
  );
}

function LiveClock() {
  useLiveClock();
  return null;
}

function AppShell() {
  const { t } = useTranslation();
  // Embedded (`?embed=1`): a slim bar instead of the title bar; `panels=` and `controls=` filter the rest.
  const { embed } = useShell();
  return (
    <div className={embed.embedded ? 'app app-embed' : 'app'}>
      <PanelFilter />
      <a className="skip-link" href="#console-input">
        {t('app.skipToConsole')}
      </a>
      {embed.embedded ? <EmbedBar /> : <Header />}
      {/* An open lesson sits beside the panels (before them on a phone). */}
      <LessonPanel />
      <main className="workspace">
        <UrlStateNotice />
        <ServerDownBanner />
        <div className="row-timeline">
          <TimelinePanel />
        </div>
        <div className="column column-data">
          <ConsolePanel />
          <KeyspacePanel />
        </div>
        <div className="column column-persistence">
          <SnapshotPanel />
          <LifecyclePanel />
          <ProcessesPanel />
          <DiskPanel />
          <ConfigPanel />
        </div>
        {/* Compare mode, opened from the crash panel, across both columns. */}
        <ComparePanel />
        <div className="row-aof">
          <AofPanel />
        </div>
        <div className="row-files">
          <InspectorPanel />
        </div>
        <div className="row-server">
          <PersistenceInfoPanel />
          <ServerLogPanel />
        </div>
      </main>
    </div>
  );
}
