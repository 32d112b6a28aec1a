import { route } from '@/lib/http/route';
import { listAccounts } from '@/lib/auth/service';

export const dynamic = 'force-dynamic';

/** GET /api/auth/users : the accounts (no password hashes); admin only when sign-in is required. */
export const GET = route(() => ({ users: listAccounts() }), { role: 'admin' });
