import type { LabStore } from '../../store/index.ts';

/**
 * The presenter's keyboard shortcuts: single keys that drive the timeline while the focus is not
 * in a text field, so an instructor at a projector never needs the mouse. `?` lists them.
 */

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it. */
  readonly keys: readonly string[];
  /** Translation key under `shortcuts.` for what it does. */
  readonly action: 'playPause' | 'stepBack' | 'stepForward' | 'toNow' | 'faster' | 'slower' | 'console' | 'help';
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['k'], action: 'playPause' },
  { keys: ['j'], action: 'stepBack' },
  { keys: ['l'], action: 'stepForward' },
  { keys: ['n'], action: 'toNow' },
  { keys: ['+', '='], action: 'faster' },
  { keys: ['-'], action: 'slower' },
  { keys: ['/'], action: 'console' },
  { keys: ['?'], action: 'help' },
];

/** Keys typed into a field, a list box or a slider belong to it, not to the presenter. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [role="listbox"], [role="slider"]') !== null;
}

/** Runs a timeline action on the store; `console` and `help` are the UI's own. */
export function runShortcut(action: Shortcut['action'], store: LabStore): void {
  const state = store.getState();
  switch (action) {
    case 'playPause':
      state.setPaused(!state.paused);
      break;
    case 'stepBack':
      state.stepBack();
      break;
    case 'stepForward':
      state.stepForward();
      break;
    case 'toNow':
      state.seek(state.timeline.length);
      break;
    case 'faster':
      state.setSpeed(state.speed * 2);
      break;
    case 'slower':
      state.setSpeed(state.speed / 2);
      break;
    default:
      break;
  }
}

export function shortcutFor(key: string): Shortcut | undefined {
  return SHORTCUTS.find((shortcut) => shortcut.keys.includes(key));
}
