/**
 * The embedded demo workspace: reads the shipped data files (db/seed-data, see its SOURCES.md) and turns them into
 * the rows that db/queries/seed.ts stores. Nothing here touches the database. One module per dataset (instruments,
 * big5Reference, norms, personaLlm, biographies, syntheticPersonaChat, baselines; sources.ts names them all); this one
 * assembles the workspace.
 */
import { personaDemographics } from '../personas/extractDemographics';
import { flagDuplicateRows } from '../pipeline/checks/duplicates';
import { loadBaselines } from './baselines';
import { loadReference } from './big5Reference';
import { loadBiographies } from './biographies';
import { loadInstruments } from './instruments';
import { loadNorms } from './norms';
import { loadPersonaLlm } from './personaLlm';
import { DEMO_SOURCES } from './sources';
import { loadSyntheticPersonaChat } from './syntheticPersonaChat';
import type { DemoBaseline, DemoInstrument, DemoNorm, DemoPersona, DemoRespondent, DemoSource } from './types';

/** Bump when the demo content changes; a database seeded with an older version is left as it is. */
export const DEMO_SEED_VERSION = '1';

export interface DemoWorkspace {
  sources: DemoSource[];
  instruments: DemoInstrument[];
  reference: { id: string; name: string; sourceId: string; instrumentId: string; description: string; respondents: DemoRespondent[] };
  norms: DemoNorm[];
  personas: DemoPersona[];
  baselines: DemoBaseline[];
  reasonCodes: { code: string; label: string }[];
}

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
