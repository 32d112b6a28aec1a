/** OASIS: the Twitter user CSV and the Reddit user JSON. */
import { agentPrompt } from './agentPrompts';
import { csvCell } from './csv';
import { displayName, handle, known, shortBio } from './personaText';
import type { ExportRow } from './schema';
import { enc, json, type SimulatorMeta } from './simulatorFiles';

/** The OASIS Twitter user CSV columns (generate_twitter_agent_graph), then Populace's own. */
export const OASIS_TWITTER_COLUMNS = [
  'user_id',
  'name',
  'username',
  'description',
  'user_char',
  'following_agentid_list',
  'previous_tweets',
  'persona_id',
  'weight',
  'count',
] as const;

/** The set as an OASIS Twitter user CSV (RFC 4180, CRLF; user_id = row index = OASIS agent id). */
export function toOasisTwitter(rows: ExportRow[], meta: SimulatorMeta): Uint8Array {
  const lines = [OASIS_TWITTER_COLUMNS.join(',')];
  rows.forEach((row, i) => {
    const cells = [i, displayName(row), handle(row), shortBio(row.narrative), agentPrompt(row, meta.norms), '[]', '[]', row.personaId, row.weight, row.count];
    lines.push(cells.map(csvCell).join(','));
  });
  return enc.encode(lines.join('\r\n') + '\r\n');
}

/** The set as OASIS Reddit user JSON (generate_reddit_agent_graph): an array of user objects. */
export function toOasisReddit(rows: ExportRow[], meta: SimulatorMeta): Uint8Array {
  return json(
    rows.map((row) => ({
      realname: displayName(row),
      username: handle(row),
      bio: shortBio(row.narrative),
      persona: agentPrompt(row, meta.norms),
      age: row.age,
      gender: known(row.gender),
      mbti: null,
      country: known(row.country),
      profession: known(row.occupation),
      interests: [] as string[],
      persona_id: row.personaId,
      weight: row.weight,
      count: row.count,
    })),
  );
}
