/** TinyTroupe: a zip of agent specifications, population.json and a README. */
import { describeTraits, displayName, handle, known } from './personaText';
import type { ExportRow } from './schema';
import { enc, json, zip, type SimulatorMeta } from './simulatorFiles';

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
