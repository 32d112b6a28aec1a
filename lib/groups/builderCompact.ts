/**
 * The compact per-respondent reference of the visual target builder (country index, age, gender, E A C N O in bytes)
 * and its wire form. Pure and framework-free (server and browser).
 */
import { TRAITS } from '../instruments/traits';

/** Gender codes, in the order of the compact gender column. */
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/** Trait score quantum of the compact form: scores are stored as round((x - 1) * 50) in one byte (exact for 0.02 steps). */
export const TRAIT_STEPS_PER_POINT = 50;

export interface CompactReference {
  n: number;
  /** Country codes by index (alpha-2, or the data's own codes such as 'unknown'). */
  countries: string[];
  country: Uint16Array;
  /** Age in years; 0 = unknown. */
  age: Uint8Array;
  /** Index into GENDERS. */
  gender: Uint8Array;
  /** n x 5 (E A C N O), each round((x - 1) * 50). */
  traits: Uint8Array;
}

// ---------------------------------------------------------------------------------------------------------------
// Compact encoding: bytes = [country u16 LE x n][age x n][gender x n][traits x 5n], sent as base64.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Packs respondents into the compact byte layout. Throws on more than 65,535 countries or a trait outside 1-5. */
export function packReference(
  rows: readonly { country: string; age: number | null; gender: string; E: number; A: number; C: number; N: number; O: number }[],
): { countries: string[]; bytes: Uint8Array } {
  const n = rows.length;
  const countries: string[] = [];
  const index = new Map<string, number>();
  const bytes = new Uint8Array(9 * n);
  const view = new DataView(bytes.buffer);
  rows.forEach((r, i) => {
    let c = index.get(r.country);
    if (c === undefined) {
      c = countries.length;
      countries.push(r.country);
      index.set(r.country, c);
    }
    view.setUint16(2 * i, c, true);
    bytes[2 * n + i] = r.age === null || r.age < 1 ? 0 : Math.min(255, Math.round(r.age));
    const g = GENDERS.indexOf(r.gender as Gender);
    bytes[3 * n + i] = g < 0 ? 3 : g;
    for (let k = 0; k < 5; k++) {
      const x = r[TRAITS[k]!];
      if (!(x >= 1 && x <= 5)) throw new RangeError(`Trait ${TRAITS[k]} of respondent ${i} is ${x}, outside 1-5.`);
      bytes[4 * n + 5 * i + k] = Math.round((x - 1) * TRAIT_STEPS_PER_POINT);
    }
  });
  return { countries, bytes };
}

/** Base64 of bytes (no Buffer or btoa needed). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += B64[a >> 2]! + B64[((a & 3) << 4) | (b >> 4)]!;
    out += i + 1 < bytes.length ? B64[((b & 15) << 2) | (c >> 6)]! : '=';
    out += i + 2 < bytes.length ? B64[c & 63]! : '=';
  }
  return out;
}

/** Bytes of a base64 string. */
export function fromBase64(text: string): Uint8Array {
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (i + k < clean.length ? lookup[clean.charCodeAt(i + k)]! : 0));
    const chunk = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    if (o < out.length) out[o++] = (chunk >> 16) & 255;
    if (o < out.length && i + 2 < clean.length) out[o++] = (chunk >> 8) & 255;
    if (o < out.length && i + 3 < clean.length) out[o++] = chunk & 255;
  }
  return out;
}

/** The compact reference from its wire form ({ n, countries, data: base64 of the byte layout }). */
export function decodeReference(wire: { n: number; countries: string[]; data: string }): CompactReference {
  const n = wire.n;
  const bytes = fromBase64(wire.data);
  if (bytes.length !== 9 * n) throw new RangeError(`Expected ${9 * n} bytes for ${n} respondents, got ${bytes.length}.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const country = new Uint16Array(n);
  for (let i = 0; i < n; i++) country[i] = view.getUint16(2 * i, true);
  return {
    n,
    countries: wire.countries,
    country,
    age: bytes.slice(2 * n, 3 * n),
    gender: bytes.slice(3 * n, 4 * n),
    traits: bytes.slice(4 * n, 9 * n),
  };
}

/** A trait score (1-5) back from its byte. */
export const traitValue = (byte: number) => 1 + byte / TRAIT_STEPS_PER_POINT;
