import type { LabStore } from '../../store/index.ts';

/**
 * The presenter's keyboard shortcuts: single keys that drive the timeline while the focus is not
 * in a text field, so an instructor at a projector never needs the mouse. `?` lists them.
 */

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it (and its labels in the list). */
  readonly keys: readonly string[];
  /**
   * The physical key that triggers it when the layout types no Latin character there: on an Arabic
   * layout K types ن and Shift+/ types ؟, so the key's `KeyboardEvent.code` (and Shift) decides.
   */
  readonly code: { readonly code: string; readonly shift: boolean | 'any' };
  /** Translation key under `shortcuts.` for what it does. */
  readonly action: 'playPause' | 'stepBack' | 'stepForward' | 'toNow' | 'faster' | 'slower' | 'console' | 'help';
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['k'], code: { code: 'KeyK', shift: false }, action: 'playPause' },
  { keys: ['j'], code: { code: 'KeyJ', shift: false }, action: 'stepBack' },
  { keys: ['l'], code: { code: 'KeyL', shift: false }, action: 'stepForward' },
  { keys: ['n'], code: { code: 'KeyN', shift: false }, action: 'toNow' },
  { keys: ['+', '='], code: { code: 'Equal', shift: 'any' }, action: 'faster' },
  { keys: ['-'], code: { code: 'Minus', shift: false }, action: 'slower' },
  { keys: ['/'], code: { code: 'Slash', shift: false }, action: 'console' },
  { keys: ['?'], code: { code: 'Slash', shift: true }, action: 'help' },
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

/** A character typed by a layout that is not Latin (ن, ؟): printable, one character, beyond ASCII. */
function isNonLatinCharacter(key: string): boolean {
  return [...key].length === 1 && (key.codePointAt(0) ?? 0) > 0x7f;
}

/**
 * The shortcut a key press means: by the character typed, as the list shows it; or, when the layout
 * types a non-Latin character, by the physical key, so the same keys work on an Arabic keyboard.
 * A Latin layout (AZERTY, Dvorak) keeps its own characters: `/` is wherever that layout types it.
 */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'code' | 'shiftKey'>): Shortcut | undefined {
  const byKey = SHORTCUTS.find((shortcut) => shortcut.keys.includes(event.key));
  if (byKey !== undefined || !isNonLatinCharacter(event.key)) return byKey;
  return SHORTCUTS.find(({ code }) => code.code === event.code && (code.shift === 'any' || code.shift === event.shiftKey));
}
