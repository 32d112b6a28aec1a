/**
 * The embedded demo workspace: reads the shipped data files (db/seed-data, see its SOURCES.md) and turns them into
 * the rows that db/queries/seed.ts stores. Nothing here touches the database.
 */
import { personaDemographics, type PersonaDemographics } from '../personas/extractDemographics';
import { scoreCommon, scoreTraits, type InstrumentKey } from '../instruments/score';
import { TRAITS, traitCode, type Trait, type TraitVector } from '../instruments/traits';
import { DemoDataError, intField, numField, readCsv, readJson, readJsonl } from './files';
import { ageBand } from '../personas/demographics';
import { flagDuplicateRows } from '../pipeline/checks/duplicates';

/** Bump when the demo content changes; a database seeded with an older version is left as it is. */
export const DEMO_SEED_VERSION = '1';

export interface DemoSource {
  id: string;
  name: string;
  kind: 'personas' | 'posts' | 'reference' | 'norms' | 'baseline' | 'instrument';
  licence: string;
  citation: string;
  origin: string;
  notes?: string;
}

export interface DemoInstrument extends InstrumentKey {
  name: string;
  sourceId: string;
  description: string;
  texts: string[];
}

export interface DemoRespondent {
  row: number;
  country: string;
  age: number | null;
  gender: 'female' | 'male' | 'other' | 'unknown';
  scores: TraitVector;
  answers: number[];
}

export interface DemoPersona {
  sourceId: string;
  externalId: string;
  name: string | null;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: 'female' | 'male' | 'other' | 'unknown';
  country: string;
  occupation: string;
  model: string | null;
  status: 'draft' | 'measured' | 'flagged';
  flags: { code: string; reason: string }[];
  /** How each demographic value was obtained (lib/personas/extractDemographics.ts); set by loadDemoWorkspace. */
  demographicsOrigin?: PersonaDemographics['demographicsOrigin'];
  /** externalId (same source) of the base persona this one is a variant of. */
  duplicateOf?: string;
  metadata: Record<string, unknown>;
  responses?: { instrumentId: string; model: string | null; temperature: number | null; answers: Map<string, number> };
  scores?: { instrumentId: string; values: TraitVector };
}

export interface DemoNorm {
  sourceId: string;
  table: string;
  groupType: string;
  group: string;
  scale: string;
  level: string;
  unit: string;
  n: number | null;
  mean: number;
  sd: number | null;
}

export interface DemoBaseline {
  sourceId: string;
  model: string;
  instrumentId: string;
  temperature: number | null;
  systemPrompt: string | null;
  run: number;
  scores: TraitVector;
  answers: Record<string, number> | null;
}

export interface DemoWorkspace {
  sources: DemoSource[];
  instruments: DemoInstrument[];
  reference: { id: string; name: string; sourceId: string; instrumentId: string; description: string; respondents: DemoRespondent[] };
  norms: DemoNorm[];
  personas: DemoPersona[];
  baselines: DemoBaseline[];
  reasonCodes: { code: string; label: string }[];
}

export const DEMO_SOURCES: DemoSource[] = [
  {
    id: 'big5-openpsychometrics',
    name: 'Open-Source Psychometrics Project BIG5 (IPIP-50), 19,719 respondents',
    kind: 'reference',
    licence: 'Open-Source Psychometrics Project terms (believed CC BY-NC-SA 4.0; not verified: check before reuse)',
    citation: 'Open-Source Psychometrics Project, BIG5 raw data (c. 2012), openpsychometrics.org',
    origin: 'db/seed-data/reference/big5-openpsychometrics/data.csv',
  },
  {
    id: 'johnson-ipip-neo-120',
    name: 'Johnson IPIP-NEO-120 norms by sex and age',
    kind: 'norms',
    licence: 'Published norms (no licence file); IPIP items are public domain',
    citation: 'Johnson, J. A. (2014). J. Research in Personality 51, 78-89',
    origin: 'db/seed-data/reference/norms/johnson-ipip-neo-120-by-sex-age.csv',
  },
  {
    id: 'mccrae-terracciano-2005',
    name: 'McCrae & Terracciano 2005 country T-scores',
    kind: 'norms',
    licence: 'Published figures (converted from a GPL-3 repository); cite the paper',
    citation: 'McCrae, Terracciano et al. (2005). J. Personality and Social Psychology 89, 407-425',
    origin: 'db/seed-data/reference/norms/mccrae-terracciano-2005-country-tscores.csv',
  },
  {
    id: 'big5-derived-norms',
    name: 'Group norms derived from the BIG5 data',
    kind: 'norms',
    licence: 'Same terms as the BIG5 data',
    citation: 'Computed from the Open-Source Psychometrics Project BIG5 data',
    origin: 'db/seed-data/reference/norms/DERIVED-from-big5-data_group-norms.csv',
  },
  {
    id: 'personallm',
    name: 'PersonaLLM (GPT-3.5 / GPT-4 personas with BFI-44 answers and stories)',
    kind: 'personas',
    licence: 'MIT, (c) 2023 Hang Jiang',
    citation: 'Jiang et al. (2024). PersonaLLM. Findings of NAACL 2024',
    origin: 'db/seed-data/personas/personallm/personallm_persona_stories.jsonl',
  },
  {
    id: 'gpt4-biographies',
    name: 'GPT-4 character biographies with Mini-Markers self-ratings',
    kind: 'personas',
    licence: 'MIT, (c) 2025 The Alan Turing Institute',
    citation: 'Mercer, Martin & Swatton (2025). arXiv 2508.00742',
    origin: 'db/seed-data/personas/gpt4-biographies/',
  },
  {
    id: 'synthetic-persona-chat',
    name: 'Synthetic-Persona-Chat persona profiles (test and valid splits)',
    kind: 'personas',
    licence: 'CC BY 4.0',
    citation: 'Jandaghi et al. (2023). arXiv 2312.10007; profiles from Zhang et al. (2018), Persona-Chat',
    origin: 'db/seed-data/personas/synthetic-persona-chat/personas.jsonl',
  },
  {
    id: 'llmpersonality-12llms',
    name: 'No-persona IPIP-50 answers of 12 LLMs',
    kind: 'baseline',
    licence: 'MIT, (c) 2024 Anand S',
    citation: 'sanand0/llmpersonality (2024)',
    origin: 'db/seed-data/baselines/no-persona/sanand0_ipip50_12llms_items.csv',
  },
  {
    id: 'personality-illusion',
    name: 'No-persona BFI-44 trait scores (The Personality Illusion)',
    kind: 'baseline',
    licence: 'MIT, (c) Psychology of AI Team',
    citation: 'Han et al. (2025). The Personality Illusion',
    origin: 'db/seed-data/baselines/no-persona/personality_illusion_*_models_selfreport.csv',
  },
  {
    id: 'ipip',
    name: 'IPIP-50 Big-Five Factor Markers',
    kind: 'instrument',
    licence: 'Public domain (ipip.ori.org)',
    citation: 'Goldberg, L. R. (1992). Psychological Assessment 4, 26-42',
    origin: 'db/seed-data/instruments/ipip50.csv',
  },
  {
    id: 'bfi44',
    name: 'Big Five Inventory (BFI-44)',
    kind: 'instrument',
    licence: 'Free for non-commercial research use (Berkeley Personality Lab)',
    citation: 'John & Srivastava (1999)',
    origin: 'db/seed-data/instruments/bfi44.csv',
  },
  {
    id: 'mini-markers',
    name: 'Saucier Mini-Markers (40 adjectives)',
    kind: 'instrument',
    licence: 'Published instrument; cite the paper',
    citation: 'Saucier, G. (1994). J. Personality Assessment 63, 506-516',
    origin: 'db/seed-data/instruments/mini-markers-40.csv',
  },
];

export const DEMO_REASON_CODES = [
  { code: 'hallucinated', label: 'Hallucinated detail' },
  { code: 'contradicts-source', label: 'Contradicts its source' },
  { code: 'inconsistent-answers', label: 'Inconsistent answers' },
  { code: 'personal-information', label: 'Personal information' },
  { code: 'generic', label: 'Generic or template-like' },
  { code: 'offensive', label: 'Offensive' },
  { code: 'duplicate', label: 'Duplicate' },
  { code: 'other', label: 'Other' },
];

function trait(name: string, file: string, line: number): Trait {
  const t = traitCode(name);
  if (!t) throw new DemoDataError(file, line, `unknown trait "${name}"`);
  return t;
}

function keyed(v: string | undefined, file: string, line: number): '+' | '-' {
  if (v !== '+' && v !== '-') throw new DemoDataError(file, line, `field "keyed" must be + or -, got "${v ?? ''}"`);
  return v;
}

/** The three instruments with their keys, read from the key files. */
export function loadInstruments(): DemoInstrument[] {
  const ipipFile = 'instruments/ipip50.csv';
  const ipip = readCsv(ipipFile).map((r, i) => ({
    itemId: r.item_id ?? '',
    trait: trait(r.trait ?? '', ipipFile, i + 2),
    keyed: keyed(r.keyed, ipipFile, i + 2),
    text: r.text ?? '',
  }));
  const bfiFile = 'instruments/bfi44.csv';
  const bfi = readCsv(bfiFile).map((r, i) => ({
    itemId: r.item ?? '',
    trait: trait(r.trait ?? '', bfiFile, i + 2),
    keyed: keyed(r.keyed, bfiFile, i + 2),
    text: r.text ?? '',
  }));
  const mmFile = 'instruments/mini-markers-40.csv';
  const mm = readCsv(mmFile).map((r, i) => ({
    itemId: r.adjective ?? '',
    trait: trait(r.trait ?? '', mmFile, i + 2),
    keyed: keyed(r.keyed, mmFile, i + 2),
    text: r.adjective ?? '',
  }));
  const make = (
    id: string,
    name: string,
    sourceId: string,
    scaleMin: number,
    scaleMax: number,
    description: string,
    rows: { itemId: string; trait: Trait; keyed: '+' | '-'; text: string }[],
  ): DemoInstrument => ({
    id,
    name,
    sourceId,
    scaleMin,
    scaleMax,
    description,
    items: rows.map(({ itemId, trait: t, keyed: k }) => ({ itemId, trait: t, keyed: k })),
    texts: rows.map((r) => r.text),
  });
  return [
    make('ipip50', 'IPIP-50', 'ipip', 1, 5, '50 IPIP Big-Five Factor Markers, 1 = Disagree ... 5 = Agree', ipip),
    make('bfi44', 'BFI-44', 'bfi44', 1, 5, 'Big Five Inventory, 44 items, 1 = disagree strongly ... 5 = agree strongly', bfi),
    make('mini-markers-40', 'Mini-Markers-40', 'mini-markers', 1, 9, 'Saucier Mini-Markers, 40 adjectives rated 1-9', mm),
  ];
}

function genderFromCode(code: number): DemoRespondent['gender'] {
  return code === 1 ? 'male' : code === 2 ? 'female' : code === 3 ? 'other' : 'unknown';
}

/**
 * The BIG5 reference: rows with any missed item (0) are dropped; ages outside 13-100 become unknown; the pseudo
 * country codes "(nu", "" become "unknown". Scores use the IPIP-50 key (1-5, already the common scale).
 */
export function loadReference(key: InstrumentKey): DemoRespondent[] {
  const file = 'reference/big5-openpsychometrics/data.csv';
  const rows = readCsv(file, '\t');
  const out: DemoRespondent[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    const answers = key.items.map((it) => intField(r, it.itemId, file, line));
    if (answers.some((v) => v === 0)) return;
    const map = new Map(key.items.map((it, j) => [it.itemId, answers[j]!]));
    const scores = scoreCommon(key, map);
    const ageRaw = Number(r.age);
    const age = Number.isInteger(ageRaw) && ageRaw >= 13 && ageRaw <= 100 ? ageRaw : null;
    const c = (r.country ?? '').trim();
    out.push({
      row: line - 1,
      country: c === '' || c === '(nu' ? 'unknown' : c,
      age,
      gender: genderFromCode(intField(r, 'gender', file, line)),
      scores,
      answers,
    });
  });
  return out;
}

const POLES: Record<string, [Trait, number]> = {
  extr: ['E', 1],
  intr: ['E', 0],
  agre: ['A', 1],
  anta: ['A', 0],
  cons: ['C', 1],
  unco: ['C', 0],
  neur: ['N', 1],
  emot: ['N', 0],
  open: ['O', 1],
  clos: ['O', 0],
};

interface PersonaLlmLine {
  model: string;
  persona_encoding: string;
  iteration: number;
  persona_prompt: string;
  bfi44: number[];
  story: string;
}

export function loadPersonaLlm(key: InstrumentKey): DemoPersona[] {
  const file = 'personas/personallm/personallm_persona_stories.jsonl';
  return readJsonl<PersonaLlmLine>(file).map((l, i) => {
    if (!Array.isArray(l.bfi44) || l.bfi44.length !== key.items.length) {
      throw new DemoDataError(file, i + 1, `field "bfi44" must hold ${key.items.length} answers`);
    }
    const answers = new Map(key.items.map((it, j) => [it.itemId, l.bfi44[j]!]));
    const intendedPoles: Partial<Record<Trait, number>> = {};
    for (const tok of l.persona_encoding.split('_')) {
      const p = POLES[tok];
      if (p) intendedPoles[p[0]] = p[1];
    }
    return {
      sourceId: 'personallm',
      externalId: `${l.model}/${l.persona_encoding}/${l.iteration}`,
      name: null,
      narrative: l.story,
      age: null,
      ageBand: 'unknown',
      gender: 'unknown',
      country: 'unknown',
      occupation: 'unknown',
      model: l.model,
      status: 'measured',
      flags: [],
      metadata: { personaPrompt: l.persona_prompt, encoding: l.persona_encoding, iteration: l.iteration, intendedPoles },
      responses: { instrumentId: 'bfi44', model: l.model, temperature: 0.7, answers },
      scores: { instrumentId: 'bfi44', values: scoreCommon(key, answers) },
    };
  });
}

interface CensusBio {
  'Full Name': string;
  Age: number;
  Occupation: string;
  'Hobbies/Interests': string[];
  'Personality Facts': string[];
}
interface ProfessionalBio {
  'Full Name': string;
  Age: number;
  Profession: string;
  OC: number;
  'Hobbies/Interests': string[] | string;
  'Personality Facts': Record<string, string>;
}

function biographyKey(fullName: string): string {
  return fullName.replace(/\s+/g, '').split('.')[0] ?? '';
}

/** The GPT-4 biographies joined to their adjective self-ratings, scored with the Mini-Markers key. */
export function loadBiographies(key: InstrumentKey): DemoPersona[] {
  const out: DemoPersona[] = [];
  const sets: { bios: string; ratings: string; kind: 'census' | 'professional' }[] = [
    { bios: 'personas/gpt4-biographies/pop_census.json', ratings: 'personas/gpt4-biographies/popc_results.csv', kind: 'census' },
    {
      bios: 'personas/gpt4-biographies/pop_professional.json',
      ratings: 'personas/gpt4-biographies/popp_results.csv',
      kind: 'professional',
    },
  ];
  for (const set of sets) {
    const bios = readJson<(CensusBio | ProfessionalBio)[]>(set.bios);
    const ratings = readCsv(set.ratings);
    if (ratings.length !== bios.length) {
      throw new DemoDataError(set.ratings, undefined, `has ${ratings.length} rows but ${set.bios} has ${bios.length}`);
    }
    bios.forEach((bio, i) => {
      const rec = ratings[i]!;
      const line = i + 2;
      const expected = biographyKey(bio['Full Name']);
      if (rec[''] !== expected) {
        throw new DemoDataError(set.ratings, line, `persona key "${rec[''] ?? ''}" does not match biography "${expected}"`);
      }
      const answers = new Map<string, number>();
      for (const it of key.items) {
        // The ratings spell "extroverted" where Saucier wrote "extraverted".
        const column = it.itemId === 'extraverted' && rec.extraverted === undefined ? 'extroverted' : it.itemId;
        answers.set(it.itemId, intField(rec, column, set.ratings, line));
      }
      const occupation = 'Occupation' in bio ? bio.Occupation : bio.Profession;
      const hobbies = bio['Hobbies/Interests'];
      const hobbyText = Array.isArray(hobbies) ? hobbies.join(', ') : hobbies;
      const facts = Array.isArray(bio['Personality Facts'])
        ? bio['Personality Facts']
        : Object.values(bio['Personality Facts']);
      const narrative =
        `${bio['Full Name']} is ${bio.Age} years old and works as ${/^[aeiou]/i.test(occupation) ? 'an' : 'a'} ${occupation}. ` +
        `Hobbies and interests: ${hobbyText}. ` +
        facts.join(' ');
      out.push({
        sourceId: 'gpt4-biographies',
        externalId: `${set.kind}/${i + 1}/${expected}`,
        name: bio['Full Name'],
        narrative,
        age: bio.Age,
        ageBand: ageBand(bio.Age),
        gender: 'unknown',
        country: 'unknown',
        occupation,
        model: 'gpt-4',
        status: 'measured',
        flags: [],
        metadata: { population: set.kind, hobbies: hobbyText, ...('OC' in bio ? { occupationCode: bio.OC } : {}) },
        responses: { instrumentId: 'mini-markers-40', model: 'gpt-4', temperature: null, answers },
        scores: { instrumentId: 'mini-markers-40', values: scoreCommon(key, answers) },
      });
    });
  }
  return out;
}

/**
 * Synthetic-Persona-Chat: every block is a reordering or a 4-sentence subset of one of about 200 base profiles.
 * Each distinct sentence set is imported once; a set contained in a larger one is recorded as a duplicate of the
 * largest set that contains it (the base profile). Base profiles are unmeasured drafts.
 */
export function loadSyntheticPersonaChat(): DemoPersona[] {
  const file = 'personas/synthetic-persona-chat/personas.jsonl';
  const lines = readJsonl<{ split: string; persona_sentences: string[] }>(file);
  const distinct = new Map<string, { sentences: string[]; split: string; firstLine: number; blocks: number }>();
  lines.forEach((l, i) => {
    const sentences = l.persona_sentences.map((s) => s.trim());
    const key = [...new Set(sentences)].sort().join('\n');
    const seen = distinct.get(key);
    if (seen) seen.blocks++;
    else distinct.set(key, { sentences, split: l.split, firstLine: i + 1, blocks: 1 });
  });
  const sets = [...distinct.values()].map((d) => ({ ...d, set: new Set(d.sentences) }));
  const isSubset = (a: Set<string>, b: Set<string>) => a.size < b.size && [...a].every((s) => b.has(s));
  const bases = sets.filter((s) => !sets.some((o) => isSubset(s.set, o.set)));
  const externalId = (s: { split: string; firstLine: number }) => `${s.split}/line-${s.firstLine}`;
  const out: DemoPersona[] = [];
  for (const s of sets) {
    const containers = bases.filter((b) => isSubset(s.set, b.set));
    const isBase = containers.length === 0;
    const base = containers.sort((a, b) => b.set.size - a.set.size || a.firstLine - b.firstLine)[0];
    out.push({
      sourceId: 'synthetic-persona-chat',
      externalId: externalId(s),
      name: null,
      narrative: s.sentences.join(' '),
      age: null,
      ageBand: 'unknown',
      gender: 'unknown',
      country: 'unknown',
      occupation: 'unknown',
      model: null,
      status: isBase ? 'draft' : 'flagged',
      flags: base
        ? [{ code: 'duplicate', reason: `a reordered or shortened variant of profile ${externalId(base)}` }]
        : [],
      duplicateOf: base ? externalId(base) : undefined,
      metadata: { split: s.split, blocks: s.blocks, sentences: s.sentences },
    });
  }
  // Bases first, so a variant's base is stored before it.
  return out.sort((a, b) => Number(a.duplicateOf !== undefined) - Number(b.duplicateOf !== undefined));
}

export function loadNorms(): DemoNorm[] {
  const out: DemoNorm[] = [];
  const jf = 'reference/norms/johnson-ipip-neo-120-by-sex-age.csv';
  readCsv(jf).forEach((r, i) => {
    out.push({
      sourceId: 'johnson-ipip-neo-120',
      table: 'johnson-ipip-neo-120',
      groupType: 'sex-age',
      group: `${r.sex} ${r.age_group}`,
      scale: r.scale ?? '',
      level: r.level ?? '',
      unit: `raw sum (${r.min}-${r.max})`,
      n: null,
      mean: numField(r, 'mean', jf, i + 2),
      sd: numField(r, 'sd', jf, i + 2),
    });
  });
  const mf = 'reference/norms/mccrae-terracciano-2005-country-tscores.csv';
  const mcNames: Record<string, Trait> = {
    openness: 'O',
    conscientiousness: 'C',
    extraversion: 'E',
    agreeableness: 'A',
    neuroticism: 'N',
  };
  readCsv(mf).forEach((r, i) => {
    for (const [col, t] of Object.entries(mcNames)) {
      out.push({
        sourceId: 'mccrae-terracciano-2005',
        table: 'mccrae-terracciano-2005',
        groupType: 'country',
        group: r.Country ?? '',
        scale: t,
        level: 'domain',
        unit: 'T-score (50 = normative mean, 10 = individual SD)',
        n: null,
        mean: numField(r, col, mf, i + 2),
        sd: 10,
      });
    }
  });
  const df = 'reference/norms/DERIVED-from-big5-data_group-norms.csv';
  readCsv(df).forEach((r, i) => {
    for (const t of TRAITS) {
      out.push({
        sourceId: 'big5-derived-norms',
        table: 'big5-derived',
        groupType: r.group_type ?? '',
        group: r.group ?? '',
        scale: t,
        level: 'domain',
        unit: 'mean of items (1-5)',
        n: intField(r, 'n', df, i + 2),
        mean: numField(r, `${t}_mean`, df, i + 2),
        sd: numField(r, `${t}_sd`, df, i + 2),
      });
    }
  });
  return out;
}

/** No-persona LLM baselines: 12 models on IPIP-50 (item answers) and the Personality Illusion BFI-44 scores. */
export function loadBaselines(ipip: InstrumentKey): DemoBaseline[] {
  const out: DemoBaseline[] = [];
  const sf = 'baselines/no-persona/sanand0_ipip50_12llms_items.csv';
  readCsv(sf).forEach((r, i) => {
    const answers = new Map<string, number>();
    for (let n = 1; n <= 50; n++) {
      // ipip_n follows Goldberg's order E, A, C, N, O repeating.
      const t = 'EACNO'[(n - 1) % 5]!;
      const itemId = `${t}${Math.floor((n - 1) / 5) + 1}`;
      answers.set(itemId, intField(r, `ipip_${n}`, sf, i + 2));
    }
    out.push({
      sourceId: 'llmpersonality-12llms',
      model: r.model ?? '',
      instrumentId: 'ipip50',
      temperature: null,
      systemPrompt: null,
      run: 0,
      scores: scoreTraits(ipip, answers),
      answers: Object.fromEntries(answers),
    });
  });
  for (const kind of ['instruct', 'base']) {
    const pf = `baselines/no-persona/personality_illusion_${kind}_models_selfreport.csv`;
    readCsv(pf).forEach((r, i) => {
      const line = i + 2;
      out.push({
        sourceId: 'personality-illusion',
        model: r.Model ?? '',
        instrumentId: 'bfi44',
        temperature: numField(r, 'temp', pf, line),
        systemPrompt: r.Persona_Content ?? '',
        run: intField(r, 'run', pf, line) * 10 + intField(r, 'persona_index', pf, line),
        scores: {
          E: numField(r, 'extraversion', pf, line),
          A: numField(r, 'agreeableness', pf, line),
          C: numField(r, 'consciencienes', pf, line),
          N: numField(r, 'neuroticism', pf, line),
          O: numField(r, 'openeness', pf, line),
        },
        answers: null,
      });
    });
  }
  return out;
}

/** Reads every demo file into one workspace object. */
export function loadDemoWorkspace(): DemoWorkspace {
  const instruments = loadInstruments();
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const ipip = byId.get('ipip50')!;
  return {
    sources: DEMO_SOURCES,
    instruments,
    reference: {
      id: 'big5',
      name: 'BIG5 human sample (IPIP-50)',
      sourceId: 'big5-openpsychometrics',
      instrumentId: 'ipip50',
      description:
        'Open-Source Psychometrics Project respondents with complete IPIP-50 answers; self-selected web sample, US-heavy, median age 22.',
      respondents: loadReference(ipip),
    },
    norms: loadNorms(),
    // Demographics the sources give as fields stay 'given'; the rest is read from each narrative. Exact and near
    // duplicates within each source (measured or not) get a 'duplicate' flag naming the first of them.
    personas: flagDuplicateRows(
      [...loadPersonaLlm(byId.get('bfi44')!), ...loadBiographies(byId.get('mini-markers-40')!), ...loadSyntheticPersonaChat()].map((p) => ({
        ...p,
        ...personaDemographics(p, p.narrative),
      })),
    ),
    baselines: loadBaselines(ipip),
    reasonCodes: DEMO_REASON_CODES,
  };
}

