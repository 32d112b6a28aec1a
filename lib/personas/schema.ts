/**
 * The persona filter: one zod schema used by the browser URL, GET /api/personas, the review queue and bulk actions.
 * Safe for client components (zod only, no database imports).
 *
 * In a URL, lists are comma-separated (`status=flagged,draft`) and ranges are pairs of keys (`Emin=2&Emax=3.5`).
 */
import { z } from 'zod';
import { TRAITS } from '../core/traits';

/** Persona status values (the same list as personaStatuses in db/schema.ts; a unit test keeps them equal). */
export const PERSONA_STATUSES = ['draft', 'measured', 'flagged', 'accepted', 'rejected'] as const;
export type PersonaStatusValue = (typeof PERSONA_STATUSES)[number];

export const PERSONA_SORTS = [
  'relevance',
  'risk',
  'id',
  'name',
  'status',
  'source',
  'critic',
  ...TRAITS,
  'weight',
] as const;
export type PersonaSort = (typeof PERSONA_SORTS)[number];

/** A flag filter value that means "no flags at all". */
export const NO_FLAGS = 'none';

const list = <T extends string>(item: z.ZodType<T, string>) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : v.split(','))
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(item).max(200));

const num = (min: number, max: number) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v)))
    .pipe(z.number().min(min).max(max));

const rangeKeys = {
  criticMin: num(0, 10).optional(),
  criticMax: num(0, 10).optional(),
  weightMin: num(0, 1e9).optional(),
  weightMax: num(0, 1e9).optional(),
  Emin: num(1, 5).optional(),
  Emax: num(1, 5).optional(),
  Amin: num(1, 5).optional(),
  Amax: num(1, 5).optional(),
  Cmin: num(1, 5).optional(),
  Cmax: num(1, 5).optional(),
  Nmin: num(1, 5).optional(),
  Nmax: num(1, 5).optional(),
  Omin: num(1, 5).optional(),
  Omax: num(1, 5).optional(),
};

/** Which personas to show: every key is optional, an absent key does not filter. */
export const personaFilterSchema = z.object({
  /** Full-text search over narrative, name and occupation (words are matched as prefixes, all must occur). */
  q: z.string().trim().max(200).optional(),
  status: list(z.enum(PERSONA_STATUSES)).optional(),
  source: list(z.string().max(100)).optional(),
  /** Flag codes (any of them), or "none" for personas without flags. */
  flag: list(z.string().max(64)).optional(),
  ageBand: list(z.string().max(20)).optional(),
  gender: list(z.enum(['female', 'male', 'other', 'unknown'])).optional(),
  country: list(z.string().max(64)).optional(),
  /** "yes": in the current run's selection; "no": not selected. */
  selected: z.enum(['yes', 'no']).optional(),
  /** The alignment run whose weights and selection the list shows and filters on (default: the latest finished run). */
  run: num(1, 1e12).pipe(z.number().int()).optional(),
  ...rangeKeys,
});
export type PersonaFilter = z.output<typeof personaFilterSchema>;

/** GET /api/personas: a filter, a sort and a page. */
export const personaListQuerySchema = personaFilterSchema.extend({
  sort: z.enum(PERSONA_SORTS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  offset: num(0, 1e9).pipe(z.number().int()).optional(),
  limit: num(1, 500).pipe(z.number().int()).optional(),
});
export type PersonaListQuery = z.output<typeof personaListQuerySchema>;

/** The filter keys in URL order (for writing a filter back into a URL). */
const FILTER_KEYS = Object.keys(personaFilterSchema.shape) as (keyof PersonaFilter)[];

/** Writes a filter (plus optional sort) as URL search parameters; empty values are left out. */
export function filterToSearchParams(filter: Partial<PersonaListQuery>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const key of [...FILTER_KEYS, 'sort', 'dir'] as (keyof PersonaListQuery)[]) {
    const v = filter[key];
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) sp.set(key, v.join(','));
    } else sp.set(key, String(v));
  }
  return sp;
}

/** Reads a filter from URL search parameters, dropping what does not validate (for client state; servers use parse). */
export function filterFromSearchParams(sp: URLSearchParams): Partial<PersonaListQuery> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of sp.entries()) {
    const field = (personaListQuerySchema.shape as Record<string, z.ZodType>)[key];
    if (!field) continue;
    const r = field.safeParse(raw);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out as Partial<PersonaListQuery>;
}

/** Whether a filter restricts anything (used to word bulk confirmations). */
export function isEmptyFilter(filter: PersonaFilter): boolean {
  return Object.values(filter).every((v) => v === undefined || (Array.isArray(v) && v.length === 0) || v === '');
}
