/**
 * Writers that load a persona set straight into the simulators people use, from the same rows as JSONL/CSV/Parquet
 * (deterministic: same rows and meta -> same bytes; zips carry a fixed timestamp):
 * - TinyTroupe: a zip of `agents/<name>-<id>.agent.json` specifications ({"type": "TinyPerson", "persona": {...}}, the
 *   layout of TinyTroupe's examples/agents, read by `TinyPerson.load_specification`), plus `population.json` (each
 *   agent's file, persona id, weight and draw count) and a README.
 * - OASIS Twitter: the user CSV read by `generate_twitter_agent_graph` (user_id, name, username, description,
 *   user_char, following_agentid_list, previous_tweets; the lists as Python literals, empty) plus persona_id, weight,
 *   count.
 * - OASIS Reddit: the user JSON read by `generate_reddit_agent_graph` (realname, username, bio, persona, age, gender,
 *   mbti, country) plus profession, interests, persona_id, weight, count.
 * - Agent prompts: JSONL, one system prompt per persona from the versioned template AGENT_PROMPT_TEMPLATE.
 * - Hugging Face dataset folder (zipped): data/train.parquet and README.md, a dataset card with its YAML header.
 * One row per persona in every format; a set of draws with repeats carries each persona's count (instantiate it count
 * times, or weight it by `weight`: not both).
 * One module per family (tinyTroupe.ts, oasis.ts, agentPrompts.ts, hfDataset.ts) on the shared persona wording
 * (personaText.ts) and file helpers (simulatorFiles.ts); this module gathers their exports.
 */
export { AGENT_PROMPT_TEMPLATE_VERSION, agentPrompt, toAgentPrompts } from './agentPrompts';
export { datasetCard, hfLicence, sizeCategory, toHfDataset } from './hfDataset';
export { OASIS_TWITTER_COLUMNS, toOasisReddit, toOasisTwitter } from './oasis';
export { describeTraits, displayName, handle, shortBio, TRAIT_WORDS, traitLevel, type TraitDescription, type TraitNorms } from './personaText';
export type { SetDescription, SimulatorMeta } from './simulatorFiles';
export { toTinyTroupe } from './tinyTroupe';
