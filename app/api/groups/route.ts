import { jsonBody, route } from '@/lib/http/route';
import { groupInputSchema } from '@/lib/groups/schema';
import { createGroup, listCustomRegions, listGroups } from '@/lib/groups/service';

export const dynamic = 'force-dynamic';

/** Saved groups with their target size and warnings, and the custom regions saved with them. */
export const GET = route(() => ({ groups: listGroups(), customRegions: listCustomRegions() }));

/** Saves a group: { name, definition } -> the group. */
export const POST = route(async (req) => createGroup(await jsonBody(req, groupInputSchema)));
