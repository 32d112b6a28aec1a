import { SignInForm } from './SignInForm';

export const dynamic = 'force-dynamic';

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(raw: string | string[] | undefined): string {
  const next = Array.isArray(raw) ? raw[0] : raw;
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/signin')) return '/';
  return next;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <h1 className="mb-4 text-xl font-semibold text-slate-900">Sign in</h1>
      <SignInForm next={next} />
    </div>
  );
}
