import { route } from '@/lib/http/route';
import { personaDemographics } from '@/lib/groups/builderData';

export const dynamic = 'force-dynamic';

/** Demographics of the personas retrieval can return (age band, gender, country, source, occupation), for the persona-side counts. */
export const GET = route(() => personaDemographics());
