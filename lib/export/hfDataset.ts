/** A Hugging Face dataset folder: the Parquet export and its dataset card, zipped. */
import type { ExportRow } from './schema';
import { enc, zip, type SimulatorMeta } from './simulatorFiles';

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
