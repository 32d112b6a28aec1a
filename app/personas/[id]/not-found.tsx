import Link from 'next/link';

/** A persona id that does not exist: say so and offer the browser. */
export default function PersonaNotFound() {
  return (
    <div className="max-w-xl space-y-3" data-testid="persona-not-found">
      <h1 className="text-2xl font-semibold">No such persona</h1>
      <p className="text-sm text-slate-700">
        No persona has this number (it may have been deleted, or the link was mistyped). Personas are found by searching and filtering the browser.
      </p>
      <p className="text-sm">
        <Link href="/personas" className="text-teal-800 underline">
          Open the persona browser
        </Link>
      </p>
    </div>
  );
}
