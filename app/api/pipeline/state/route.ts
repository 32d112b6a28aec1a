import { route } from '@/lib/http/route';
import { getPipelineState } from '@/lib/pipeline/service';

export const dynamic = 'force-dynamic';

/** GET /api/pipeline/state: LLM configuration, posts sources with counts, measured counts. */
export const GET = route(() => getPipelineState());
