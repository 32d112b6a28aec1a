import type { ReactNode } from 'react';
import { HelpTip } from '@/components/HelpTip';

/** A titled chart panel with a one-line caption that defines what is plotted. */
export function ChartCard({
  title,
  caption,
  help,
  children,
  testId,
}: {
  title: string;
  caption: string;
  help?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="min-w-0 rounded-lg border border-slate-200 bg-white p-3" data-testid={testId}>
      <h3 className="flex items-center gap-1 text-sm font-semibold">
        {title}
        {help ? <HelpTip term={help} /> : null}
      </h3>
      <p className="text-xs text-slate-500">{caption}</p>
      <div className="mt-2">{children}</div>
    </section>
  );
}
