/** Agent system prompts: one prompt per persona from the versioned template, as JSONL. */
import { describeTraits, displayName, known, type TraitNorms } from './personaText';
import type { ExportRow } from './schema';
import { enc, type SimulatorMeta } from './simulatorFiles';

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
