import { act, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { createI18n, type LanguageCode } from '../../src/i18n/index.ts';
import { createLabStore, type LabStore } from '../../src/store/index.ts';
import { LabStoreProvider } from '../../src/store/react.tsx';
import { App } from '../../src/ui/index.ts';

export const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

/** The whole first screen with a fresh store, in one language, without the live clock (tests move time). */
export function renderLab({ lang = 'en', store = createLabStore({ epochMs: EPOCH_MS }) }: { lang?: LanguageCode; store?: LabStore } = {}) {
  const i18n = createI18n(lang);
  const user = userEvent.setup();
  const view = render(
    <I18nextProvider i18n={i18n}>
      <LabStoreProvider store={store}>
        <App liveClock={false} />
      </LabStoreProvider>
    </I18nextProvider>,
  );
  return { ...view, store, i18n, user };
}

/**
 * Lets motion finish, inside act, the exits the last step started. A reaped child, a deleted file or
 * a file replaced by a rename leaves through AnimatePresence: even with `skipAnimations` (test/setup.ts)
 * motion applies an animation's end on its next animation frame, and only then does AnimatePresence
 * drop the element, with a React state update. Left alone, that frame fires after the test's last
 * step, outside act (and test/setup.ts fails the test); a test whose step makes something leave
 * awaits this right after it. The timeout after the frame lets the exit's promise chain run out.
 */
export async function finishExitAnimations(): Promise<void> {
  await act(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}
