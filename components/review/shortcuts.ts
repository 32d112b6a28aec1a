/** Review keyboard shortcuts: defaults, labels, and the browser-stored overrides. The reason picker uses the digits 1-9. */
export const SHORTCUT_ACTIONS = ['accept', 'reject', 'next', 'previous', 'undo', 'note', 'help'] as const;
export type ShortcutAction = (typeof SHORTCUT_ACTIONS)[number];
export type Shortcuts = Record<ShortcutAction, string>;

export const DEFAULT_SHORTCUTS: Shortcuts = {
  accept: 'a',
  reject: 'r',
  next: 'j',
  previous: 'k',
  undo: 'u',
  note: 'n',
  help: '?',
};

export const SHORTCUT_LABELS: Record<ShortcutAction, string> = {
  accept: 'Accept',
  reject: 'Reject (opens the reason picker)',
  next: 'Next persona',
  previous: 'Previous persona',
  undo: 'Undo my last decision',
  note: 'Write a note',
  help: 'Show or hide shortcuts',
};

const STORAGE_KEY = 'populace_review_shortcuts';

/** A key is usable for an action when it is one printable character that is not a digit (digits pick reasons). */
export function isUsableKey(key: string): boolean {
  return key.length === 1 && !/[0-9\s]/.test(key);
}

export function loadShortcuts(): Shortcuts {
  if (typeof window === 'undefined') return DEFAULT_SHORTCUTS;
  try {
    const saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Shortcuts>;
    const merged = { ...DEFAULT_SHORTCUTS };
    for (const a of SHORTCUT_ACTIONS) if (typeof saved[a] === 'string' && isUsableKey(saved[a]!)) merged[a] = saved[a]!;
    return new Set(Object.values(merged)).size === SHORTCUT_ACTIONS.length ? merged : DEFAULT_SHORTCUTS;
  } catch {
    return DEFAULT_SHORTCUTS;
  }
}

export function saveShortcuts(s: Shortcuts): void {
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
}

/** Shows a key the way it is pressed ("a", "?", "ArrowRight" as "→"). */
export function keyLabel(key: string): string {
  return ({ ArrowRight: '→', ArrowLeft: '←', ArrowUp: '↑', ArrowDown: '↓' } as Record<string, string>)[key] ?? key;
}
