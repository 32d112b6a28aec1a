import { safeNextPath } from '@/lib/auth/config';
import { SignInForm } from './SignInForm';

export const metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNextPath((await searchParams).next);
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <h1 className="mb-4 text-xl font-semibold text-slate-900">Sign in</h1>
      <SignInForm next={next} />
    </div>
  );
}
