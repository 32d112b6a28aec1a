/**
 * What the visual group builder loads once: the reference respondents in compact form (country, age, gender,
 * E A C N O; about 9 bytes each), country names, the published McCrae & Terracciano country norms by alpha-2 code,
 * and the persona pool's own demographics for the persona side.
 */
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import { getDb, type Db } from '../../db/client';
import { listCandidateDemographics } from '../../db/queries/groups';
import { getReferenceSet, listNormTable, listReferenceDemographics } from '../../db/queries/targets';
import { AppError } from '../http/errors';
import { COUNTRY_NAMES, MCCRAE_TO_ALPHA2 } from '../targets/countries';
import { packReference, toBase64, TRAITS, type PersonaDemographics, type Trait } from './builder';
import { PERSONA_AGE_BANDS, PERSONA_GENDERS } from './schema';

countries.registerLocale(en);

const SPECIAL_NAMES: Record<string, string> = { unknown: 'Unknown country', A1: 'Anonymous proxy', A2: 'Satellite provider', EU: 'Europe (unspecified)', AP: 'Asia-Pacific (unspecified)' };

/** English name of a country code used by the reference (the project's own names first, then ISO's). */
export function builderCountryName(code: string): string {
  return COUNTRY_NAMES[code] ?? SPECIAL_NAMES[code] ?? countries.getName(code, 'en', { select: 'official' }) ?? code;
}

export interface BuilderReference {
  referenceSetId: string;
  n: number;
  /** Country codes by index, with names. */
  countries: string[];
  names: Record<string, string>;
  /** Base64 of the compact byte layout (lib/groups/builder.ts). */
  data: string;
  /** McCrae & Terracciano (2005) T-scores (50 = pooled mean, 10 = individual SD) by alpha-2 code. */
  norms: Record<string, Record<Trait, number>>;
}

/** The reference set in compact form for the builder. 404 for an unknown set. */
export function builderReference(db: Db = getDb(), referenceSetId = 'big5'): BuilderReference {
  if (!getReferenceSet({ db, id: referenceSetId })) throw new AppError('unknown_reference', `There is no reference set "${referenceSetId}".`, 404);
  const rows = listReferenceDemographics({ db, referenceSetId });
  const { countries: codes, bytes } = packReference(rows);
  const norms: BuilderReference['norms'] = {};
  for (const r of listNormTable({ db, table: 'mccrae-terracciano-2005' })) {
    const code = MCCRAE_TO_ALPHA2[r.group];
    if (!code || !(TRAITS as readonly string[]).includes(r.scale)) continue;
    (norms[code] ??= {} as Record<Trait, number>)[r.scale as Trait] = r.mean;
  }
  return {
    referenceSetId,
    n: rows.length,
    countries: codes,
    names: Object.fromEntries(codes.map((c) => [c, builderCountryName(c)])),
    data: toBase64(bytes),
    norms,
  };
}

/** Alpha-2 code of a persona's stored country (a code or an English name); null when unknown or not a country. */
export function personaCountryCode(value: string): string | null {
  const v = value.trim();
  if (!v || v.toLowerCase() === 'unknown') return null;
  if (/^[A-Za-z]{2}$/.test(v)) return countries.isValid(v.toUpperCase()) ? v.toUpperCase() : null;
  return countries.getAlpha2Code(v, 'en') ?? null;
}

/** The retrieval candidates' demographics, indexed for the persona-side counts (lib/groups/builder.ts countPersonas). */
export function personaDemographics(db: Db = getDb()): PersonaDemographics {
  const rows = listCandidateDemographics({ db });
  const ageBands: string[] = [...PERSONA_AGE_BANDS];
  const genders: string[] = [...PERSONA_GENDERS];
  const countryIndex = new Map<string, number>();
  const sourceIndex = new Map<string, number>();
  const out: PersonaDemographics = { ageBands, genders, countries: [], sources: [], rows: [] };
  const indexOf = (list: string[], v: string) => {
    const i = list.indexOf(v);
    if (i >= 0) return i;
    list.push(v);
    return list.length - 1;
  };
  for (const r of rows) {
    let c = countryIndex.get(r.country);
    if (c === undefined) {
      c = out.countries.length;
      out.countries.push({ value: r.country, code: personaCountryCode(r.country) });
      countryIndex.set(r.country, c);
    }
    let s = sourceIndex.get(r.sourceId);
    if (s === undefined) {
      s = out.sources.length;
      out.sources.push(r.sourceId);
      sourceIndex.set(r.sourceId, s);
    }
    out.rows.push({
      a: indexOf(ageBands, r.ageBand),
      g: indexOf(genders, r.gender),
      c,
      s,
      occupation: r.occupation.toLowerCase(),
    });
  }
  return out;
}
