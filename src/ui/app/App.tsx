import { MotionConfig } from 'motion/react';
import { useTranslation } from 'react-i18next';
import { Header } from './Header.tsx';
import { ConsolePanel } from '../console/ConsolePanel.tsx';
import { KeyspacePanel } from '../keyspace/KeyspacePanel.tsx';
import { ClockPanel } from '../clock/ClockPanel.tsx';
import { useLiveClock } from '../clock/use-live-clock.ts';
import { NarratorProvider } from '../Narrator.tsx';

/**
 * The lab's first screen: console on the inline start, clock and keyspace beside it (the whole
 * grid mirrors in Arabic), one column on a phone.
 */
export function App({ liveClock = true }: { liveClock?: boolean }) {
  return (
    // reducedMotion "user": under prefers-reduced-motion, transforms are dropped and fades kept.
    <MotionConfig reducedMotion="user">
      <NarratorProvider>
        {liveClock && <LiveClock />}
        <AppShell />
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
  return (
    <div className="app">
      <a className="skip-link" href="#console-input">
        {t('app.skipToConsole')}
      </a>
      <Header />
      <main className="workspace">
        <ConsolePanel />
        <div className="side-column">
          <ClockPanel />
          <KeyspacePanel />
        </div>
      </main>
    </div>
  );
}
