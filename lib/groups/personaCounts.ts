/** The persona side of a group: faceted counts of the persona filters, and why none matches. Pure (server and browser). */

/** Personas' demographics as the persona-side filters see them (one row per retrieval candidate). */
export interface PersonaDemographics {
  ageBands: string[];
  genders: string[];
  /** Countries as stored, with their alpha-2 code when one is known. */
  countries: { value: string; code: string | null }[];
  sources: string[];
  /** [ageBand, gender, country, source] indices, and the lower-cased occupation. */
  rows: { a: number; g: number; c: number; s: number; occupation: string }[];
}

export interface PersonaFilterChoice {
  ageBands: string[];
  genders: string[];
  countries: string[];
  occupationContains?: string;
  sources: string[];
}

export interface PersonaCounts {
  /** Personas matching every filter. */
  matching: number;
  total: number;
  /** For each option of a dimension: personas left if the dimension were that option alone (the other filters kept). */
  ageBands: Record<string, number>;
  genders: Record<string, number>;
  countries: Record<string, number>;
  sources: Record<string, number>;
  /** Age band x gender counts of the matching personas. */
  pyramid: Record<string, Record<string, number>>;
  /** Matching personas per alpha-2 code (personas with an unmapped country are left out). */
  perCode: Record<string, number>;
  /** Why the result is empty, in words (null when something matches). */
  emptyReason: string | null;
}

/** Faceted counts of the persona-side filters: how many personas each choice leaves. O(rows x dimensions). */
export function countPersonas(demo: PersonaDemographics, f: PersonaFilterChoice): PersonaCounts {
  const wantA = new Set(f.ageBands);
  const wantG = new Set(f.genders);
  const wantC = new Set(f.countries.map((c) => c.toLowerCase()));
  const wantS = new Set(f.sources);
  const occ = f.occupationContains?.trim().toLowerCase() ?? '';
  const out: PersonaCounts = { matching: 0, total: demo.rows.length, ageBands: {}, genders: {}, countries: {}, sources: {}, pyramid: {}, perCode: {}, emptyReason: null };
  for (const a of demo.ageBands) out.ageBands[a] = 0;
  for (const g of demo.genders) out.genders[g] = 0;
  for (const c of demo.countries) out.countries[c.value] = 0;
  for (const s of demo.sources) out.sources[s] = 0;
  for (const a of demo.ageBands) out.pyramid[a] = Object.fromEntries(demo.genders.map((g) => [g, 0]));
  for (const r of demo.rows) {
    const age = demo.ageBands[r.a]!;
    const gender = demo.genders[r.g]!;
    const country = demo.countries[r.c]!;
    const source = demo.sources[r.s]!;
    const okA = wantA.size === 0 || wantA.has(age);
    const okG = wantG.size === 0 || wantG.has(gender);
    const okC = wantC.size === 0 || wantC.has(country.value.toLowerCase());
    const okS = wantS.size === 0 || wantS.has(source);
    const okO = occ === '' || r.occupation.includes(occ);
    if (okG && okC && okS && okO) out.ageBands[age]!++;
    if (okA && okC && okS && okO) out.genders[gender]!++;
    if (okA && okG && okS && okO) out.countries[country.value]!++;
    if (okA && okG && okC && okO) out.sources[source]!++;
    if (okA && okG && okC && okS && okO) {
      out.matching++;
      out.pyramid[age]![gender]!++;
      if (country.code) out.perCode[country.code] = (out.perCode[country.code] ?? 0) + 1;
    }
  }
  if (out.matching === 0) out.emptyReason = explainEmpty(demo, f);
  return out;
}

function describeValues(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([v]) => v);
}

/** Why no persona matches: the first filter that alone leaves nobody, in the analyst's words. */
function explainEmpty(demo: PersonaDemographics, f: PersonaFilterChoice): string {
  if (demo.rows.length === 0) return '0 personas: the pool is empty (import or generate personas first).';
  const all: PersonaFilterChoice = { ageBands: [], genders: [], countries: [], sources: [] };
  const alone = (part: Partial<PersonaFilterChoice>) => matchFacets(demo, { ...all, ...part }).n;
  const dims: [keyof PersonaFilterChoice, string, string[]][] = [
    ['genders', 'gender', f.genders],
    ['ageBands', 'age band', f.ageBands],
    ['countries', 'country', f.countries],
    ['sources', 'source', f.sources],
  ];
  for (const [key, noun, chosen] of dims) {
    if (chosen.length === 0 || alone({ [key]: chosen }) > 0) continue;
    const present = describeValues(matchFacets(demo, all).facets[key] ?? {});
    if (present.length === 1) return `0 personas: every persona's ${noun} is ${present[0]}.`;
    return `0 personas: no persona has ${noun} ${chosen.join(' or ')} (present: ${present.slice(0, 8).join(', ')}${present.length > 8 ? ', …' : ''}).`;
  }
  if (f.occupationContains?.trim() && alone({ occupationContains: f.occupationContains }) === 0) {
    return `0 personas: no persona's occupation contains "${f.occupationContains.trim()}".`;
  }
  return '0 personas: each filter alone leaves some personas, but no persona matches all of them together; drop one filter.';
}

/** Personas matching every filter, and their values per dimension. */
function matchFacets(demo: PersonaDemographics, f: PersonaFilterChoice): { n: number; facets: Record<string, Record<string, number>> } {
  const wantA = new Set(f.ageBands);
  const wantG = new Set(f.genders);
  const wantC = new Set(f.countries.map((x) => x.toLowerCase()));
  const wantS = new Set(f.sources);
  const occ = f.occupationContains?.trim().toLowerCase() ?? '';
  let n = 0;
  const facets: Record<string, Record<string, number>> = { ageBands: {}, genders: {}, countries: {}, sources: {} };
  for (const r of demo.rows) {
    const v = { ageBands: demo.ageBands[r.a]!, genders: demo.genders[r.g]!, countries: demo.countries[r.c]!.value, sources: demo.sources[r.s]! };
    const ok =
      (wantA.size === 0 || wantA.has(v.ageBands)) &&
      (wantG.size === 0 || wantG.has(v.genders)) &&
      (wantC.size === 0 || wantC.has(v.countries.toLowerCase())) &&
      (wantS.size === 0 || wantS.has(v.sources)) &&
      (occ === '' || r.occupation.includes(occ));
    if (!ok) continue;
    n++;
    for (const k of Object.keys(facets)) facets[k]![v[k as keyof typeof v]] = (facets[k]![v[k as keyof typeof v]] ?? 0) + 1;
  }
  return { n, facets };
}
