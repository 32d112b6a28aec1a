/** Instrument keys for tests, read with the same loader the demo seed uses. */
import { loadInstruments } from '../../lib/demo/instruments';

/** Item text -> keyed direction ('+' or '-') of one shipped instrument (e.g. to script in-character mock answers). */
export function keyedByItemText(instrumentId: string): Map<string, '+' | '-'> {
  const ins = loadInstruments().find((i) => i.id === instrumentId);
  if (!ins) throw new Error(`no shipped instrument "${instrumentId}"`);
  return new Map(ins.items.map((it, i) => [ins.texts[i]!, it.keyed]));
}
