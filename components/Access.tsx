'use client';
/**
 * What the signed-in user may change, for the screens: when sign-in is required, only reviewers and admins may
 * change anything (the API enforces it: lib/auth/guard.ts); viewers browse. Screens disable their change controls
 * and show <ReadOnlyNote /> instead of letting a viewer run into a 403.
 */
import { createContext, useContext, type ReactNode } from 'react';

export interface Access {
  /** The signed-in user's role, or null when the server needs no sign-in. */
  role: 'viewer' | 'reviewer' | 'admin' | null;
}

const AccessContext = createContext<Access>({ role: null });

export function AccessProvider({ access, children }: { access: Access; children: ReactNode }) {
  return <AccessContext.Provider value={access}>{children}</AccessContext.Provider>;
}

/** True when the user may change data (decide, run, save, start jobs, export): no sign-in, reviewer or admin. */
export function useMayChange(): boolean {
  return useContext(AccessContext).role !== 'viewer';
}

/** The line shown where a viewer would otherwise find change controls. */
export function ReadOnlyNote({ what }: { what: string }) {
  const mayChange = useMayChange();
  if (mayChange) return null;
  return (
    <p className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="read-only-note">
      Your account has the viewer role: you can look, but {what} needs the reviewer or admin role. Ask an admin to change your role.
    </p>
  );
}
