/**
 * Writers that load a persona set straight into the simulators people use, from the same rows as JSONL/CSV/Parquet
 * (deterministic: same rows and meta -> same bytes; zips carry a fixed timestamp):
 * - TinyTroupe: a zip of `agents/<name>-<id>.agent.json` specifications ({"type": "TinyPerson", "persona": {...}}, the
 *   layout of TinyTroupe's examples/agents, read by `TinyPerson.load_specification`), plus `population.json` (each
 *   agent's file, persona id, weight and draw count) and a README.
 * - OASIS Twitter: the user CSV read by `generate_twitter_agent_graph` (user_id, name, username, description,
 *   user_char, following_agentid_list, previous_tweets; the lists as Python literals, empty) plus persona_id, weight,
 *   count.
 * - OASIS Reddit: the user JSON read by `generate_reddit_agent_graph` (realname, username, bio, persona, age, gender,
 *   mbti, country) plus profession, interests, persona_id, weight, count.
 * - Agent prompts: JSONL, one system prompt per persona from the versioned template AGENT_PROMPT_TEMPLATE.
 * - Hugging Face dataset folder (zipped): data/train.parquet and README.md, a dataset card with its YAML header.
 * One row per persona in every format; a set of draws with repeats carries each persona's count (instantiate it count
 * times, or weight it by `weight`: not both).
 */
import { zipSync } from 'fflate';
import { csvCell } from './csv';
import type { ExportRow } from './schema';

/** The five traits in export column order, with their names and what the two poles sound like in words. */
export const TRAIT_WORDS = [
  { code: 'E', name: 'extraversion', high: 'outgoing, energetic and talkative', low: 'reserved, quiet and content with solitude' },
  { code: 'A', name: 'agreeableness', high: 'warm, trusting and cooperative', low: 'critical, sceptical and competitive' },
  { code: 'C', name: 'conscientiousness', high: 'organised, dependable and disciplined', low: 'spontaneous, flexible and careless with details' },
  { code: 'N', name: 'neuroticism', high: 'anxious, moody and easily stressed', low: 'calm, emotionally stable and resilient' },
  { code: 'O', name: 'openness', high: 'curious, imaginative and open to new ideas', low: 'conventional, practical and fond of the familiar' },
] as const;

/**
 * The population the trait words are relative to: means and standard deviations of E A C N O (1-5 scale) of the
 * set's target. Without norms the words use the scale's midpoint 3 and a standard deviation of 0.75.
 */
export interface TraitNorms {
  population: string;
  mean: number[];
  sd: number[];
}

/** Everything the dataset card says besides the rows: where the set comes from, its licences and citations. */
export interface SetDescription {
  title: string;
  /** One paragraph on the set: the source (run / group / pool), the target, the selection and the weights. */
  summary: string[];
  reference: { name: string; licence: string; citation: string } | null;
  personaSources: { id: string; name: string; licence: string; citation: string; personas: number }[];
  /** Path of the methods report on the server that made the set, or null. */
  methodsReport: string | null;
}

export interface SimulatorMeta {
  version: string;
  rowsSha256: string;
  norms: TraitNorms | null;
  description: SetDescription;
}

/** Level of a z-score in words; the bands are documented at AGENT_PROMPT_TEMPLATE_VERSION. */
export function traitLevel(z: number): 'very low' | 'low' | 'average' | 'high' | 'very high' {
  if (z < -1.5) return 'very low';
  if (z < -0.5) return 'low';
  if (z <= 0.5) return 'average';
  if (z <= 1.5) return 'high';
  return 'very high';
}

export interface TraitDescription {
  code: string;
  name: string;
  score: number;
  z: number;
  level: ReturnType<typeof traitLevel>;
  /** e.g. "High extraversion: outgoing, energetic and talkative." */
  sentence: string;
}

/** The persona's Big Five in words relative to the norms (null scores are left out). */
export function describeTraits(row: ExportRow, norms: TraitNorms | null): TraitDescription[] {
  const out: TraitDescription[] = [];
  TRAIT_WORDS.forEach((t, k) => {
    const score = row[t.code];
    if (score === null) return;
    const z = (score - (norms?.mean[k] ?? 3)) / (norms?.sd[k] ?? 0.75);
    const level = traitLevel(z);
    const words = level === 'average' ? `neither especially ${t.high.split(',')[0]} nor ${t.low.split(',')[0]}` : z > 0 ? t.high : t.low;
    const cap = level[0]!.toUpperCase() + level.slice(1);
    out.push({ code: t.code, name: t.name, score, z, level, sentence: `${cap} ${t.name}: ${words}.` });
  });
  return out;
}

const known = (v: string | null | undefined) => (v && v !== 'unknown' ? v : null);

/** The persona's display name: its name, else "Persona <id>". */
export function displayName(row: ExportRow): string {
  return row.name?.trim() || `Persona ${row.personaId}`;
}

/** A lower-case ASCII handle from the name, made unique by the persona id: "harriet_barnes_812". */
export function handle(row: ExportRow): string {
  const base = displayName(row)
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return `${base || 'persona'}_${row.personaId}`;
}

/** The first sentence of the narrative, at most 160 characters (a profile bio). */
export function shortBio(narrative: string): string {
  const text = narrative.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  const first = m ? m[1]! : text;
  return first.length <= 160 ? first : `${first.slice(0, 157).replace(/\s+\S*$/, '')}...`;
}

/** "Age 56; female; GB; hairdressing salon owner" from the known demographics, or null. */
function demographicsLine(row: ExportRow): string | null {
  const parts = [
    row.age !== null ? `Age: ${row.age}.` : null,
    known(row.gender) ? `Gender: ${row.gender}.` : null,
    known(row.country) ? `Country: ${row.country}.` : null,
    known(row.occupation) ? `Occupation: ${row.occupation}.` : null,
  ].filter((x): x is string => x !== null);
  return parts.length ? parts.join(' ') : null;
}

/**
 * Version of the agent system prompt template; a change of wording gets a new version. populace-agent-prompt/1:
 *
 *   You are {name}. Stay in character as this person in everything you say and do; do not mention that you are
 *   simulated.
 *
 *   About you:
 *   {narrative}
 *
 *   {Age: .. Gender: .. Country: .. Occupation: .. (known fields only; the line is left out when none is known)}
 *
 *   Your personality (Big Five, compared with {population}):
 *   - {Level} {trait}: {words}.   (one line per trait with a score)
 *
 * Levels come from the z-score of the trait against the population (the set's target): very low below -1.5, low
 * below -0.5, average up to +0.5, high up to +1.5, very high above.
 */
export const AGENT_PROMPT_TEMPLATE_VERSION = 'populace-agent-prompt/1';

/** The system prompt of one persona (template AGENT_PROMPT_TEMPLATE_VERSION). */
export function agentPrompt(row: ExportRow, norms: TraitNorms | null): string {
  const lines = [
    `You are ${displayName(row)}. Stay in character as this person in everything you say and do; do not mention that you are simulated.`,
    '',
    'About you:',
    row.narrative.trim(),
  ];
  const demo = demographicsLine(row);
  if (demo) lines.push('', demo);
  const traits = describeTraits(row, norms);
  if (traits.length) {
    lines.push('', `Your personality (Big Five, compared with ${norms?.population ?? 'the midpoint of a 1-5 scale'}):`);
    for (const t of traits) lines.push(`- ${t.sentence}`);
  }
  return lines.join('\n');
}

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v, null, 2) + '\n');
/** Zip entries' timestamp: fixed, so that the same set gives the same bytes. */
const ZIP_TIME = new Date(Date.UTC(2000, 0, 1));

function zip(files: Record<string, Uint8Array>): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date; level: 6 }]> = {};
  for (const name of Object.keys(files).sort()) entries[name] = [files[name]!, { mtime: ZIP_TIME, level: 6 }];
  return zipSync(entries);
}

/** The set's rows as TinyTroupe agent specifications (a zip). */
export function toTinyTroupe(rows: ExportRow[], meta: SimulatorMeta): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const population: { file: string; personaId: number; name: string; weight: number; count: number }[] = [];
  // TinyPerson refuses a second agent with a name it already holds: a repeated name gets the persona id.
  const seen = new Set<string>();
  for (const row of rows) {
    const traits = describeTraits(row, meta.norms);
    const file = `agents/${handle(row)}.agent.json`;
    let name = displayName(row);
    if (seen.has(name)) name = `${name} (persona ${row.personaId})`;
    seen.add(name);
    const persona: Record<string, unknown> = { name };
    if (row.age !== null) persona.age = row.age;
    if (known(row.gender)) persona.gender = row.gender;
    if (known(row.country)) {
      persona.nationality = row.country;
      persona.residence = row.country;
    }
    if (known(row.occupation)) persona.occupation = { title: row.occupation, description: row.occupation };
    persona.description = row.narrative.trim();
    persona.personality = {
      traits: traits.map((t) => `You have ${t.sentence[0]!.toLowerCase()}${t.sentence.slice(1)}`),
      big_five: Object.fromEntries(traits.map((t) => [t.name, `${t.level[0]!.toUpperCase()}${t.level.slice(1)} (${t.score.toFixed(2)} on a 1-5 scale).`])),
    };
    files[file] = json({ type: 'TinyPerson', persona });
    population.push({ file, personaId: row.personaId, name, weight: row.weight, count: row.count });
  }
  files['population.json'] = json({
    format: 'populace-tinytroupe/1',
    populaceVersion: meta.version,
    rowsSha256: meta.rowsSha256,
    traitsComparedWith: meta.norms?.population ?? null,
    note: 'One agent file per persona. count = times the persona is in the set (to simulate each draw, load the file count times with auto_rename_agent=True), weight = its weight in the set; use one of them, not both.',
    agents: population,
  });
  files['README.md'] = enc.encode(
    [
      `# ${meta.description.title}: TinyTroupe agents`,
      '',
      ...meta.description.summary,
      '',
      '```python',
      'import json, zipfile',
      'from tinytroupe.agent import TinyPerson',
      '',
      'with zipfile.ZipFile("set.tinytroupe.zip") as z:',
      '    population = json.loads(z.read("population.json"))',
      '    agents = [TinyPerson.load_specification(json.loads(z.read(a["file"]))) for a in population["agents"]]',
      '```',
      '',
    ].join('\n'),
  );
  return zip(files);
}

/** The OASIS Twitter user CSV columns (generate_twitter_agent_graph), then Populace's own. */
export const OASIS_TWITTER_COLUMNS = [
  'user_id',
  'name',
  'username',
  'description',
  'user_char',
  'following_agentid_list',
  'previous_tweets',
  'persona_id',
  'weight',
  'count',
] as const;

/** The set as an OASIS Twitter user CSV (RFC 4180, CRLF; user_id = row index = OASIS agent id). */
export function toOasisTwitter(rows: ExportRow[], meta: SimulatorMeta): Uint8Array {
  const lines = [OASIS_TWITTER_COLUMNS.join(',')];
  rows.forEach((row, i) => {
    const cells = [i, displayName(row), handle(row), shortBio(row.narrative), agentPrompt(row, meta.norms), '[]', '[]', row.personaId, row.weight, row.count];
    lines.push(cells.map(csvCell).join(','));
  });
  return enc.encode(lines.join('\r\n') + '\r\n');
}

/** The set as OASIS Reddit user JSON (generate_reddit_agent_graph): an array of user objects. */
export function toOasisReddit(rows: ExportRow[], meta: SimulatorMeta): Uint8Array {
  return json(
    rows.map((row) => ({
      realname: displayName(row),
      username: handle(row),
      bio: shortBio(row.narrative),
      persona: agentPrompt(row, meta.norms),
      age: row.age,
      gender: known(row.gender),
      mbti: null,
      country: known(row.country),
      profession: known(row.occupation),
      interests: [] as string[],
      persona_id: row.personaId,
      weight: row.weight,
      count: row.count,
    })),
  );
}

/** One JSON object per line: the persona's system prompt with its id, weight and count. */
export function toAgentPrompts(rows: ExportRow[], meta: SimulatorMeta): Uint8Array {
  const lines = rows.map((row) =>
    JSON.stringify({
      persona_id: row.personaId,
      name: displayName(row),
      weight: row.weight,
      count: row.count,
      template: AGENT_PROMPT_TEMPLATE_VERSION,
      system_prompt: agentPrompt(row, meta.norms),
    }),
  );
  return enc.encode(lines.join('\n') + (lines.length ? '\n' : ''));
}

/** Hugging Face licence identifiers for the licence texts Populace's sources carry (anything else is "other"). */
export function hfLicence(licence: string): string {
  const l = licence.toLowerCase();
  if (/^mit\b/.test(l)) return 'mit';
  if (/cc by-nc-sa 4\.0/.test(l)) return 'cc-by-nc-sa-4.0';
  if (/^cc by 4\.0/.test(l)) return 'cc-by-4.0';
  if (/^public domain/.test(l)) return 'cc0-1.0';
  return 'other';
}

/** The size category of a Hugging Face dataset card. */
export function sizeCategory(n: number): string {
  if (n < 1000) return 'n<1K';
  if (n < 10_000) return '1K<n<10K';
  if (n < 100_000) return '10K<n<100K';
  if (n < 1_000_000) return '100K<n<1M';
  return '1M<n<10M';
}

const yamlString = (s: string) => JSON.stringify(s);

/** The dataset card (README.md with its YAML header) of a set. */
export function datasetCard(rows: ExportRow[], meta: SimulatorMeta, features: { name: string; dtype: string }[]): string {
  const d = meta.description;
  const licences = [...new Set([...d.personaSources.map((s) => hfLicence(s.licence)), ...(d.reference ? [hfLicence(d.reference.licence)] : [])])].sort();
  const header = [
    '---',
    'license:',
    ...licences.map((l) => `- ${l}`),
    ...(licences.includes('other') ? [`license_name: ${yamlString('mixed: see Licences below')}`] : []),
    `pretty_name: ${yamlString(d.title)}`,
    'language:',
    '- en',
    'size_categories:',
    `- ${sizeCategory(rows.length)}`,
    'task_categories:',
    '- text-generation',
    'tags:',
    '- personas',
    '- social-simulation',
    '- big-five',
    '- synthetic',
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    '    path: data/train.parquet',
    'dataset_info:',
    '  features:',
    ...features.flatMap((f) => [`  - name: ${f.name}`, `    dtype: ${f.dtype}`]),
    '  splits:',
    '  - name: train',
    `    num_examples: ${rows.length}`,
    '---',
  ];
  const body = [
    `# ${d.title}`,
    '',
    ...d.summary,
    '',
    '## Columns',
    '',
    'One row per persona: its narrative and demographics as mined, its Big Five scores (E A C N O, 1-5, measured by an LLM',
    'answering a questionnaire as the persona), `weight` (its weight in the set) and `count` (times it is in the set).',
    'Use the weights or the counts, not both.',
    '',
    '## Load',
    '',
    '```python',
    'from datasets import load_dataset',
    'ds = load_dataset("parquet", data_files="data/train.parquet")["train"]',
    'df = ds.to_pandas()',
    'weighted_mean_E = (df.E * df.weight).sum() / df.weight.sum()',
    'population = df.loc[df.index.repeat(df["count"])]  # one row per draw',
    '```',
    '',
    '## Sources and licences',
    '',
    ...(d.reference ? [`- Human reference: ${d.reference.name}. Licence: ${d.reference.licence}.`] : []),
    ...d.personaSources.map((s) => `- Personas from ${s.name} (${s.personas} in this set). Licence: ${s.licence}.`),
    '',
    'Each persona keeps the licence of its source; the set as a whole is only as open as its most restrictive source.',
    '',
    '## Citation',
    '',
    'Method: Hu et al. (2025), Population-Aligned Persona Generation for LLM-based Social Simulation, arXiv:2509.10127.',
    ...(d.reference ? [`Reference data: ${d.reference.citation}`] : []),
    ...d.personaSources.map((s) => `${s.name}: ${s.citation}`),
    '',
    ...(d.methodsReport ? [`The methods report of the alignment (target, estimator, diagnostics, divergences): ${d.methodsReport} on the server that made the set.`, ''] : []),
    `Made with Populace ${meta.version}; rows digest ${meta.rowsSha256}.`,
    '',
  ];
  return [...header, '', ...body].join('\n');
}

/** A Hugging Face dataset folder, zipped: data/train.parquet (the Parquet export) and README.md (the dataset card). */
export function toHfDataset(rows: ExportRow[], meta: SimulatorMeta, parquet: Uint8Array, features: { name: string; dtype: string }[]): Uint8Array {
  return zip({ 'README.md': enc.encode(datasetCard(rows, meta, features)), 'data/train.parquet': parquet });
}
