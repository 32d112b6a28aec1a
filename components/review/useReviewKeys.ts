'use client';

import { useEffect, useRef } from 'react';
import type { ShortcutAction, Shortcuts } from './shortcuts';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export interface ReviewKeys {
  /** Keys are ignored (no reviewer yet, a settings dialog is open). */
  disabled: boolean;
  shortcuts: Shortcuts;
  reasonCodes: { code: string }[];
  /** The reason picker is open: digits pick, Enter confirms, Esc cancels; other keys do nothing. */
  picker: { onPick: (code: string) => void; onConfirm: () => void; onCancel: () => void } | null;
  /** A digit outside the picker opens it with that reason chosen. */
  onDigit: (code: string) => void;
  onAction: (action: ShortcutAction) => void;
}

/** The review screen's keyboard: shortcuts (customisable), arrows for next / previous, and the reason picker's keys. */
export function useReviewKeys(keys: ReviewKeys): void {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      const { disabled, shortcuts, reasonCodes, picker, onDigit, onAction } = current.current;
      if (e.key === 'Escape' && isTyping(e.target)) return (e.target as HTMLElement).blur();
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey || disabled) return;
      const digit = /^[1-9]$/.test(e.key) ? reasonCodes[Number(e.key) - 1]?.code : undefined;
      if (picker) {
        e.preventDefault();
        if (digit) picker.onPick(digit);
        else if (e.key === 'Escape') picker.onCancel();
        else if (e.key === 'Enter') picker.onConfirm();
        return;
      }
      if (digit) {
        e.preventDefault();
        return onDigit(digit);
      }
      const action = (Object.entries(shortcuts) as [ShortcutAction, string][]).find(([, k]) => k === e.key || (k.length === 1 && k.toLowerCase() === e.key))?.[0];
      const act = action ?? (e.key === 'ArrowRight' ? 'next' : e.key === 'ArrowLeft' ? 'previous' : null);
      if (!act) return;
      e.preventDefault();
      onAction(act);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
