const STYLES: Record<string, string> = {
  draft: 'bg-slate-100 text-slate-700 ring-slate-300',
  measured: 'bg-sky-50 text-sky-800 ring-sky-200',
  flagged: 'bg-amber-50 text-amber-900 ring-amber-300',
  accepted: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  rejected: 'bg-rose-50 text-rose-800 ring-rose-300',
};

export const STATUS_HELP: Record<string, string> = {
  draft: 'draft: not measured yet',
  measured: 'measured: has trait scores, not reviewed',
  flagged: 'flagged: a quality check raised a flag',
  accepted: 'accepted by a reviewer (latest decision)',
  rejected: 'rejected by a reviewer: out of the alignment pool',
};

/** A persona status as a small labelled badge. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${STYLES[status] ?? STYLES.draft}`}
      title={STATUS_HELP[status]}
      data-testid={testId}
      data-status={status}
    >
      {status}
    </span>
  );
}
