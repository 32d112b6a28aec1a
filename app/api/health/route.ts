import { route } from '@/lib/http/route';
import { getHealth } from '@/lib/workspace/overview';

export const dynamic = 'force-dynamic';

export const GET = route(() => getHealth());
