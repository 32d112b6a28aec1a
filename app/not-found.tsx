import Link from 'next/link';
import { NAV_LINKS } from '@/components/navLinks';

export const metadata = { title: 'Not found' };

/** The answer for an address that names nothing: what happened and where to go instead. */
export default function NotFound() {
  return (
    <div className="max-w-xl space-y-3" data-testid="not-found">
      <h1 className="text-2xl font-semibold">Nothing here</h1>
      <p className="text-sm text-slate-700">This address does not name a screen, persona, group or run of this workspace. It may have been deleted, or the link was mistyped.</p>
      <ul className="flex flex-wrap gap-3 text-sm">
        {NAV_LINKS.map((l) => (
          <li key={l.href}>
            <Link href={l.href} className="text-teal-800 underline">
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
