/**
 * Instruments the measurement jobs can use. IPIP-50 comes with the demo workspace; IPIP-NEO-120 (Johnson 2014) is
 * added to the instruments tables at first use from the @bigfive-org/questions package (MIT), keyed by its
 * plus/minus direction and domain.
 */
import { getItems } from '@bigfive-org/questions';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { ensureInstrument, getInstrumentWithItems, type InstrumentWithItems } from '../../db/queries/measurement';
import { AppError } from '../http/errors';

export const IPIP_NEO_120 = 'ipip-neo-120';

/** An item of the package as this module reads it (the package types `keyed` and `domain` as any string). */
const packageItems = z.array(
  z.object({
    text: z.string(),
    keyed: z.enum(['plus', 'minus']),
    domain: z.enum(['N', 'E', 'O', 'A', 'C']),
    facet: z.number().int(),
    num: z.number().int(),
  }),
);

/** The 120 items of the package as instrument items (item id "N1-1": domain, facet, running number). */
export function ipipNeo120Items(): InstrumentWithItems['items'] {
  return packageItems
    .parse(getItems('en'))
    .sort((a, b) => a.num - b.num)
    .map((it) => ({
      itemId: `${it.domain}${it.facet}-${it.num}`,
      position: it.num,
      trait: it.domain,
      keyed: it.keyed === 'plus' ? ('+' as const) : ('-' as const),
      text: it.text,
    }));
}

/** Adds IPIP-NEO-120 to the database when it is missing (one transaction). */
export function ensureIpipNeo120(db: Db): void {
  ensureInstrument({
    db,
    source: {
      id: 'bigfive-org-questions',
      name: 'IPIP-NEO-120 items from the @bigfive-org/questions package',
      kind: 'instrument',
      licence: 'MIT, (c) 2024 B5 Holding AS (package); items: IPIP, public domain',
      citation: 'Johnson, J. A. (2014). Measuring thirty facets of the Five Factor Model with a 120-item public domain inventory. J. Research in Personality 51, 78-89',
      origin: 'npm @bigfive-org/questions 1.3.3',
    },
    instrument: {
      id: IPIP_NEO_120,
      name: 'IPIP-NEO-120',
      scaleMin: 1,
      scaleMax: 5,
      sourceId: 'bigfive-org-questions',
      description: '120 IPIP-NEO items (Johnson 2014), 1 = Very inaccurate ... 5 = Very accurate',
      items: ipipNeo120Items(),
    },
  });
}

/** The instrument with its items, adding IPIP-NEO-120 on first use. */
export function loadInstrument(db: Db, instrumentId: string): InstrumentWithItems {
  if (instrumentId === IPIP_NEO_120) ensureIpipNeo120(db);
  const ins = getInstrumentWithItems({ db, instrumentId });
  if (!ins || ins.items.length === 0) throw new AppError('unknown_instrument', `The instrument "${instrumentId}" is not in the database.`, 400);
  return ins;
}
