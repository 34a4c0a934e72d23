import { useEffect } from 'react';
import { useLabStoreApi } from '../../store/react.tsx';

/** How often the live clock moves simulated time forward (serverCron runs every 100 ms at hz 10). */
const TICK_INTERVAL_MS = 100;

/**
 * Drives the store's clock from real time while the page is visible: a 100 ms interval calls
 * `tick`, and a hidden tab stops the clock (time does not flow, nor catch up, while nobody looks).
 * This is the only timer in the lab; the engine and the store have none.
 */
export function useLiveClock(): void {
  const store = useLabStoreApi();
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | null = null;
    const start = (): void => {
      if (timer !== null) return;
      store.getState().startClock(performance.now());
      timer = setInterval(() => store.getState().tick(performance.now()), TICK_INTERVAL_MS);
    };
    const stop = (): void => {
      if (timer === null) return;
      clearInterval(timer);
      timer = null;
      store.getState().stopClock();
    };
    const onVisibilityChange = (): void => (document.visibilityState === 'visible' ? start() : stop());
    onVisibilityChange();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      document.removeEventListener('visibilitychange', onVisibilityChange);
      stop();
    };
  }, [store]);
}
