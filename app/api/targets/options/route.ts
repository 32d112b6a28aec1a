import { route } from '@/lib/http/route';
import { targetOptions } from '@/lib/targets/service';

export const dynamic = 'force-dynamic';

export const GET = route(() => targetOptions());
