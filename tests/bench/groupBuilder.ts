/**
 * The group builder's client-side update on the seeded BIG5 reference (19,718 respondents):
 *   npx tsx tests/bench/groupBuilder.ts
 * Prints the payload size and the median / max of 21 runs of decoding and of one update (summarize: respondents,
 * per-country counts, pyramid, trait histograms and means) for typical selections. Figures only: nothing asserts a time.
 */
import { builderReference } from '../../lib/groups/builderData';
import { decodeReference, summarize, type BuilderSelection } from '../../lib/groups/builder';
import { useSeededDatabase } from '../support/db';

const env = useSeededDatabase();
const db = env.db;

function measure(label: string, fn: () => unknown, runs = 21) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`${label.padEnd(60)} median ${times[Math.floor(runs / 2)]!.toFixed(2).padStart(7)} ms   max ${times.at(-1)!.toFixed(2).padStart(7)} ms\n`);
}

let wire!: ReturnType<typeof builderReference>;
measure('server: read and pack the reference', () => (wire = builderReference(db)), 5);
process.stdout.write(`payload: ${wire.n.toLocaleString('en-US')} respondents, ${wire.countries.length} countries, ${(JSON.stringify(wire).length / 1024).toFixed(0)} KiB JSON\n`);
let ref!: ReturnType<typeof decodeReference>;
measure('client: decode once', () => (ref = decodeReference(wire)));
const selections: [string, BuilderSelection][] = [
  ['whole sample', { countries: [], genders: [] }],
  ['Germany + Netherlands', { countries: ['DE', 'NL'], genders: [] }],
  ['women over 50 in Europe (DE, NL, GB, FR, IT, ES, SE)', { countries: ['DE', 'NL', 'GB', 'FR', 'IT', 'ES', 'SE'], ageMin: 50, genders: ['female'] }],
  ['United States, 18-24, male', { countries: ['US'], ageMin: 18, ageMax: 24, genders: ['male'] }],
];
for (const [label, sel] of selections) measure(`client: update for ${label}`, () => summarize(ref, sel));
env.cleanup();
