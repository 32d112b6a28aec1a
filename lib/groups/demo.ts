/** The demo's ready-made groups: the paper's three regions and one age group (created once, at start-up). */
import type { Db } from '../../db/client';
import { getMetaValue, insertGroupsIfAbsent, setMetaValue } from '../../db/queries/groups';
import { REGION_PRESETS } from '../targets/countries';
import { groupDefinitionSchema, type GroupDefinition } from './schema';

const DEMO_GROUPS_KEY = 'demo_groups_version';
export const DEMO_GROUPS_VERSION = '1';

const region = (id: keyof typeof REGION_PRESETS) => REGION_PRESETS[id]!.countries;

/** Name and definition of each demo group. */
export function demoGroupDefinitions(): { name: string; definition: GroupDefinition }[] {
  const def = (d: unknown) => groupDefinitionSchema.parse(d);
  return [
    {
      name: 'East Asia',
      definition: def({
        reference: { filters: { countries: region('east-asia') } },
        personas: {
          description: 'people living in East Asia: China, Japan, South Korea, Hong Kong, Mongolia, Taiwan or Macau; Asian family, work and city life',
          retrieveCount: 200,
        },
      }),
    },
    {
      name: 'North America',
      definition: def({
        reference: { filters: { countries: region('north-america') } },
        personas: { description: 'people living in the United States or Canada, American or Canadian everyday life', retrieveCount: 200 },
      }),
    },
    {
      name: 'Europe (Germany, Netherlands, UK)',
      definition: def({
        reference: { filters: { countries: region('europe') } },
        personas: { description: 'people living in Germany, the Netherlands or the United Kingdom, European everyday life', retrieveCount: 200 },
      }),
    },
    {
      name: 'Young adults 18-24',
      definition: def({
        reference: { filters: { ageMin: 18, ageMax: 24 } },
        personas: { description: 'young adults aged 18 to 24: students, college, university, first job', retrieveCount: 200 },
      }),
    },
  ];
}

/**
 * Creates the demo groups once per database (recorded in the meta table, so a group the user deletes stays
 * deleted); a name already taken is left alone. Idempotent.
 */
export function ensureDemoGroups(db: Db): { created: number } {
  if (getMetaValue({ db, key: DEMO_GROUPS_KEY }) === DEMO_GROUPS_VERSION) return { created: 0 };
  return db.transaction((tx) => {
    const created = insertGroupsIfAbsent({
      db: tx,
      rows: demoGroupDefinitions().map((g) => ({ name: g.name, definition: g.definition })),
    });
    setMetaValue({ db: tx, key: DEMO_GROUPS_KEY, value: DEMO_GROUPS_VERSION });
    return { created };
  });
}
