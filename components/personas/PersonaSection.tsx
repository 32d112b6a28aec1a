import type { ReactNode } from 'react';

/** A section of the persona page: a titled block with an optional note, found by its test id `section-<id>`. */
export function Section({ title, id, children, note }: { title: string; id: string; children: ReactNode; note?: ReactNode }) {
  return (
    <section className="space-y-2" aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      {note && <p className="text-xs text-slate-500">{note}</p>}
      {children}
    </section>
  );
}

/** What a section of the persona page says when it has nothing to show. */
export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="text-sm text-slate-600" data-testid={testId}>
      {children}
    </p>
  );
}
