/**
 * Stage 4: light revision of a retrieved persona so that it fits a group. Only place and culture details change
 * (where the person lives, local names, customs, food, institutions); personality, values, habits, emotional
 * tone and every behavioural statement stay as they are, so the measured traits do not drift.
 */
import type { LlmMessage } from '../llm';

export const GROUP_REVISION_PROMPT_VERSION = 'group-revision-v1';
export const GROUP_REVISION_SCHEMA_NAME = 'group_revision';

export function groupRevisionMessages(input: { narrative: string; group: string; countries: string[] }): LlmMessage[] {
  const place = input.countries.length ? ` The group lives in: ${input.countries.join(', ')}.` : '';
  return [
    {
      role: 'system',
      content:
        'You lightly revise a persona so that it belongs to the target group described below. Change ONLY place ' +
        'and culture details: the country or city, local place names, foods, festivals, institutions, currencies and ' +
        'similar local references. Keep everything else exactly as it is: personality, temperament, values, ' +
        'habits, relationships, emotional tone, level of sociability, orderliness, worry and curiosity, and every ' +
        'statement about behaviour. Keep the length, the person (first or third) and the voice. Do not add traits, ' +
        'achievements or problems. Answer with JSON {"narrative": "...", "country": "...", "changes": "..."} where ' +
        'country is the country the revised persona lives in (or "unknown") and changes is one sentence listing what ' +
        'you changed.',
    },
    {
      role: 'user',
      content: `<group>${input.group}${place}</group>\n<persona>\n${input.narrative}\n</persona>`,
    },
  ];
}
