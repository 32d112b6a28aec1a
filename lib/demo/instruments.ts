/** The demo's questionnaires (IPIP-50, BFI-44, Mini-Markers-40) with their keys, read from db/seed-data/instruments. */
import { traitCode, type Trait } from '../instruments/traits';
import { DemoDataError, readCsv } from './files';
import type { DemoInstrument } from './types';

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
