import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** GET /api/live: liveness for load balancers and scripts, public even when sign-in is required; reveals nothing. */
export const GET = route(() => ({ status: 'ok' }), { public: true });
