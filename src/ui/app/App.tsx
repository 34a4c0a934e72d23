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
 * The lab's screen: the timeline (with the clock) across the top, then what a student does beside
 * what Redis does with it. On a laptop the console, the keyspace, the snapshot commands and crash
 * and restart run down the inline start side; the processes, the disk, the AOF log and the server
 * log down the other, so a BGSAVE typed in the console is watched without scrolling away; below,
 * INFO persistence beside the file inspector, then redis.conf across the width. A wide screen gives
 * the processes and the disk, and the AOF log, a column each. While the server is down, a banner
 * across the top says so. The whole grid mirrors in Arabic; a phone gets one column in this order.
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
        {/* The DOM order is the reading and Tab order of every layout; global.css places the groups. */}
        <div className="workspace-panels">
          <div className="column column-act">
            <ConsolePanel />
            <SnapshotPanel />
            <LifecyclePanel />
            <KeyspacePanel />
          </div>
          <div className="column column-fork">
            <ProcessesPanel />
            <DiskPanel />
          </div>
          <div className="column column-log">
            <AofPanel />
            <ServerLogPanel />
          </div>
          {/* Compare mode, opened from the crash panel, across the columns it needs. */}
          <ComparePanel />
          <div className="column column-status">
            <PersistenceInfoPanel />
            <InspectorPanel />
          </div>
          <ConfigPanel />
        </div>
      </main>
    </div>
  );
}
