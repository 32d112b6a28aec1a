/**
 * A small OpenAI-compatible HTTP server for tests: POST /v1/chat/completions (streaming and not) and
 * POST /v1/embeddings on 127.0.0.1. Answers are deterministic functions of the request:
 *
 * - a structured request (response_format json_schema) is answered by the task named in the schema name
 *   (post_cleanup, post_quality, persona, critique, privacy, privacy_rewrite, item_answer, item_answers,
 *   demographics), which reads the tagged content of the prompt (<post>, <posts>, <persona>, <item id="...">,
 *   <narrative>); an unknown name gets a generic instance of the JSON schema;
 * - a plain request gets "echo: <last user message>";
 * - embeddings are 8-dimensional unit vectors derived from a hash of the input.
 *
 * Options: latency per request, failure injection (`failNext(status, n)`: the next n requests answer that status;
 * `failEvery`: every k-th chat request answers 503), and `respond` to override answers of a task.
 *
 * For several-endpoint tests: `inFlight` / `maxInFlight` count requests being answered at once (server side),
 * `received` counts every request; `setMode('rate-limited', { retryAfterSeconds })` answers 429 with Retry-After,
 * `setMode('error')` answers 500, `setMode('ok')` answers normally; `stop()` closes the port (connections are
 * refused) and `restart()` listens on the same port again.
 *
 * Stand-alone (for trying the pipeline by hand): `npx tsx tests/support/fakeOpenaiServer.ts --port 11435`.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string | Array<{ type: string; text?: string }> }[];
  temperature?: number;
  stream?: boolean;
  response_format?: { type: string; json_schema?: { name?: string; schema?: JsonSchema } };
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  required?: string[];
  anyOf?: JsonSchema[];
};

export interface FakeServerOptions {
  port?: number;
  /** Delay before each answer (ms). */
  latencyMs?: number;
  /** Every k-th chat request fails with 503 (0 = never). */
  failEvery?: number;
  /** Overrides: return a string (the content) to answer, or undefined for the default. */
  respond?: (task: string | null, req: ChatRequest, user: string) => string | undefined;
}

export interface FakeServer {
  /** Base URL ending in /v1, for LLM_BASE_URL. */
  url: string;
  port: number;
  /** Counts of requests by endpoint and task. */
  counts: Record<string, number>;
  requests: ChatRequest[];
  failNext(status: number, n?: number): void;
  setLatency(ms: number): void;
  /** Requests being answered now, and the most at once so far. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Every request received (answered or failed). */
  readonly received: number;
  setMode(mode: FakeServerMode, options?: { retryAfterSeconds?: number }): void;
  /** Closes the port: new connections are refused. */
  stop(): Promise<void>;
  /** Listens on the same port again. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export type FakeServerMode = 'ok' | 'rate-limited' | 'error';

export function hashInt(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0);
}

function contentOf(m: ChatRequest['messages'][number]): string {
  return typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join('');
}

const tag = (text: string, name: string): string => {
  const m = text.match(new RegExp(`<${name}[^>]*>([\\s\\S]*?)</${name}>`));
  return m ? m[1]!.trim() : '';
};
const tags = (text: string, name: string): string[] =>
  [...text.matchAll(new RegExp(`<${name}[^>]*>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]!.trim());

const PII = /[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d\s().-]{7,}\d|https?:\/\/\S+|@\w{3,}/g;

/** Third-person rewrite of first-person sentences (crude, deterministic). */
function thirdPerson(s: string): string {
  return s
    .replace(/\bI'm\b/g, 'they are')
    .replace(/\bI am\b/g, 'they are')
    .replace(/\bI've\b/g, 'they have')
    .replace(/\bI\b/g, 'they')
    .replace(/\bmy\b/gi, 'their')
    .replace(/\bme\b/g, 'them')
    .replace(/\bmyself\b/g, 'themselves');
}

/** Places the fake demographics reader knows, with their ISO code. */
const FAKE_PLACES: Record<string, string> = {
  canada: 'CA', germany: 'DE', france: 'FR', japan: 'JP', mexico: 'MX', australia: 'AU', ireland: 'IE', italy: 'IT',
  'united states': 'US', 'north dakota': 'US', texas: 'US', california: 'US', florida: 'US', ohio: 'US', 'new york': 'US',
  toronto: 'CA', london: 'GB', england: 'GB', scotland: 'GB', paris: 'FR', berlin: 'DE', tokyo: 'JP', sydney: 'AU',
};
const STOP = new Set(['at', 'in', 'for', 'and', 'with', 'who', 'on', 'of', 'to', 'but', 'because', 'since']);

/**
 * The demographics reader: crude, deterministic patterns (an age in years or a decade, a gendered self-description
 * or third-person pronouns, a place after "live in" / "grew up in" / "from", an occupation after "work as" or
 * "I am a", a business the person runs, a job "in" a field), each quoted verbatim from the narrative.
 */
export function fakeDemographics(text: string): Record<string, { value: string | number | null; quote: string | null }> {
  const none = { value: null, quote: null };
  let age: { value: number | null; quote: string | null } = none;
  const years = text.match(/\b(\d{2})[- ]years?[- ]old\b/i);
  const decade = text.match(/\bin (?:my|his|her|their) (\d)0s\b/i);
  if (years) age = { value: Number(years[1]), quote: years[0] };
  else if (decade) age = { value: Number(decade[1]) * 10 + 5, quote: decade[0] };

  let gender: { value: string | null; quote: string | null } = none;
  const self = text.match(/\b(?:I am|I'm|is|as) an? (?:[a-z]+ )?(woman|mother|wife|girl|man|father|husband|guy)\b/i);
  if (self) gender = { value: /woman|mother|wife|girl/i.test(self[1]!) ? 'female' : 'male', quote: self[0] };
  else if (!/\b(?:I|my|me)\b/.test(text)) {
    const she = text.match(/\b(?:she|her)\b/gi)?.length ?? 0;
    const he = text.match(/\b(?:he|him|his)\b/gi)?.length ?? 0;
    if (she > he) gender = { value: 'female', quote: text.match(/\b(?:she|her)\b/i)![0] };
    else if (he > she) gender = { value: 'male', quote: text.match(/\b(?:he|him|his)\b/i)![0] };
  }

  let country: { value: string | null; quote: string | null } = none;
  for (const m of text.matchAll(/\b(?:lives? in|living in|grew up in|born in|moved to|(?:am|is|comes?) from)\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?/gi)) {
    const two = m[2] ? `${m[1]} ${m[2]}` : null;
    const place = two && FAKE_PLACES[two.toLowerCase()] ? two : FAKE_PLACES[m[1]!.toLowerCase()] ? m[1]! : null;
    if (!place) continue;
    country = { value: FAKE_PLACES[place.toLowerCase()]!, quote: m[0].slice(0, m[0].indexOf(place) + place.length) };
    break;
  }

  let occupation: { value: string | null; quote: string | null } = none;
  const as = text.match(/\b(?:work|works|working) as an? ([A-Za-z]+(?: [A-Za-z]+){0,2})/i);
  const iam = text.match(/\b(?:I am|I'm) an? (nurse|teacher|doctor|lawyer|student|chef|farmer|engineer|mechanic|pilot|writer|artist|musician|accountant)\b/i);
  const runs = text.match(/\bI (?:run|own) an? ([a-z]+(?: [a-z]+)?) (school|shop|store|business|restaurant|farm|bakery)\b/i);
  const field = text.match(/\bjob (?:working )?in ([a-z]+)\b/i);
  if (as) {
    const words: string[] = [];
    for (const w of as[1]!.split(' ')) {
      if (STOP.has(w.toLowerCase())) break;
      words.push(w);
    }
    const quote = as[0].slice(0, as[0].indexOf(as[1]!) + words.join(' ').length);
    occupation = { value: words.join(' ').toLowerCase(), quote };
  } else if (iam) occupation = { value: iam[1]!.toLowerCase(), quote: iam[0] };
  else if (runs) occupation = { value: `${runs[1]} ${runs[2]} owner`.toLowerCase(), quote: runs[0] };
  else if (field) occupation = { value: `${field[1]} professional`.toLowerCase(), quote: field[0] };
  return { age, gender, country, occupation };
}

function defaultTask(task: string, user: string, req: ChatRequest): unknown {
  switch (task) {
    case 'post_cleanup': {
      const post = tag(user, 'post');
      return { text: post.replace(/\s+/g, ' ').replace(/(lol|haha)+/gi, '').trim() };
    }
    case 'post_quality': {
      const post = tag(user, 'post');
      const spam = /buy now|click here|free followers/i.test(post);
      const harmful = /\bhurt (people|someone)\b|\bhate (all|every)\b/i.test(post);
      return { quality: spam ? 'low' : post.split(/\s+/).length > 45 ? 'high' : 'medium', harmful, reason: spam ? 'advertising' : 'personal post' };
    }
    case 'persona': {
      const posts = tags(user, 'post');
      const firsts = posts.slice(0, 4).map((p) => thirdPerson(p.split(/(?<=[.!?])\s/)[0] ?? p));
      const all = posts.join(' ');
      const age = all.match(/\bI(?:'m| am) (\d{2}) years old\b/);
      const job = all.match(/\bI work as an? ([a-z]+)/i);
      const gender = /\bmy husband\b|\bas a woman\b/i.test(all) ? 'female' : /\bmy wife\b|\bas a man\b/i.test(all) ? 'male' : 'unknown';
      return {
        name: null,
        narrative: `The author writes in the first person about everyday life. ${firsts.join(' ')}`.trim(),
        age: age ? Number(age[1]) : null,
        gender,
        country: /\bin Canada\b/.test(all) ? 'Canada' : 'unknown',
        occupation: job ? job[1]!.toLowerCase() : 'unknown',
      };
    }
    case 'critique': {
      const persona = tag(user, 'persona');
      const bad = /astronaut/i.test(persona);
      const s = (v: number, reason: string) => ({ score: v, reason });
      return {
        hallucination: s(bad ? 4 : 9, bad ? 'claims an unsupported occupation' : 'every claim is supported'),
        comprehensiveness: s(9, 'covers the main themes'),
        conciseness: s(9, 'short'),
        relevance: s(9, 'on topic'),
        overall: s(bad ? 5 : 9, bad ? 'not grounded' : 'good'),
      };
    }
    case 'privacy': {
      const persona = tag(user, 'persona');
      const found = persona.match(PII) ?? [];
      return { containsPersonalInfo: found.length > 0, items: found.map((f) => ({ kind: 'identifier', text: f })), reason: found.length ? 'contains identifiers' : 'none found' };
    }
    case 'privacy_rewrite': {
      const persona = tag(user, 'persona');
      return { narrative: persona.replace(PII, '[removed]') };
    }
    case 'item_answer': {
      const persona = tag(user, 'persona');
      const item = tag(user, 'item');
      return { answer: (hashInt(`${persona}|${item}|${req.temperature ?? ''}`) % 5) + 1 };
    }
    case 'demographics':
      return fakeDemographics(tag(user, 'narrative'));
    case 'item_answers': {
      const persona = tag(user, 'persona');
      const ids = [...user.matchAll(/<item id="([^"]+)">([\s\S]*?)<\/item>/g)];
      return { answers: ids.map((m) => ({ id: m[1], answer: (hashInt(`${persona}|${m[2]!.trim()}|${req.temperature ?? ''}`) % 5) + 1 })) };
    }
    default:
      return undefined;
  }
}

/** A deterministic instance of a JSON schema. */
function instanceOf(schema: JsonSchema | undefined, seed: string): unknown {
  if (!schema) return null;
  if (schema.anyOf?.length) return instanceOf(schema.anyOf[0], seed);
  if (schema.enum?.length) return schema.enum[hashInt(seed) % schema.enum.length];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, instanceOf(v, `${seed}.${k}`)]));
    case 'array':
      return [instanceOf(schema.items, `${seed}[0]`)];
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? lo + 10;
      return lo + (hashInt(seed) % (Math.floor(hi - lo) + 1));
    }
    case 'boolean':
      return hashInt(seed) % 2 === 0;
    case 'string':
      return `text ${hashInt(seed) % 1000}`;
    default:
      return null;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startFakeOpenAiServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  let latency = options.latencyMs ?? 0;
  const failures: number[] = [];
  const counts: Record<string, number> = {};
  const requests: ChatRequest[] = [];
  let chatCount = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let received = 0;
  let mode: FakeServerMode = 'ok';
  let retryAfterSeconds = 1;
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

  const server = http.createServer((req, res) => {
    received++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) inFlight--;
      counted = false;
    };
    res.on('finish', done);
    res.on('close', done);
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      try {
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        if (req.method !== 'POST') return sendJson(res, 404, { error: { message: 'not found' } });
        const body = JSON.parse(raw || '{}');
        if (mode === 'rate-limited') {
          bump('mode429');
          res.setHeader('retry-after', String(retryAfterSeconds));
          return sendJson(res, 429, { error: { message: 'rate limit reached (injected)', type: 'rate_limit_error' } });
        }
        if (mode === 'error') {
          bump('mode500');
          return sendJson(res, 500, { error: { message: 'internal error (injected)', type: 'server_error' } });
        }
        const injected = failures.shift();
        if (injected) {
          bump(`fail${injected}`);
          res.setHeader('retry-after', '0');
          return sendJson(res, injected, { error: { message: `injected ${injected}`, type: 'server_error' } });
        }
        if (req.url?.endsWith('/embeddings')) {
          bump('embeddings');
          const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
          const data = inputs.map((text, index) => {
            const v = Array.from({ length: 8 }, (_, k) => (hashInt(`${text}#${k}`) / 2 ** 32) * 2 - 1);
            const n = Math.hypot(...v);
            return { object: 'embedding', index, embedding: v.map((x) => x / n) };
          });
          return sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: inputs.length * 4, total_tokens: inputs.length * 4 } });
        }
        if (!req.url?.endsWith('/chat/completions')) return sendJson(res, 404, { error: { message: `no route ${req.url}` } });
        const chat = body as ChatRequest;
        requests.push(chat);
        chatCount++;
        if (options.failEvery && chatCount % options.failEvery === 0) {
          bump('fail503');
          return sendJson(res, 503, { error: { message: 'overloaded (injected)' } });
        }
        const users = chat.messages.filter((m) => m.role === 'user').map(contentOf);
        const user = users[users.length - 1] ?? '';
        const task = chat.response_format?.type === 'json_schema' ? (chat.response_format.json_schema?.name ?? null) : null;
        bump(task ?? 'text');
        let content = options.respond?.(task, chat, user);
        if (content === undefined) {
          if (task) {
            const v = defaultTask(task, user, chat) ?? instanceOf(chat.response_format?.json_schema?.schema, JSON.stringify(chat.messages));
            content = JSON.stringify(v);
          } else {
            content = `echo: ${user}`;
          }
        }
        const usage = { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 };
        usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
        const id = `chatcmpl-${hashInt(raw).toString(16)}`;
        const created = Math.floor(Date.now() / 1000);
        if (chat.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
          const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
            res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: chat.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`);
          chunk({ role: 'assistant', content: '' }, null);
          for (const piece of content.match(/.{1,12}/gs) ?? []) chunk({ content: piece }, null);
          chunk({}, 'stop', { usage });
          res.write('data: [DONE]\n\n');
          return res.end();
        }
        return sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model: chat.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage,
        });
      } catch (e) {
        return sendJson(res, 500, { error: { message: (e as Error).message } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    counts,
    requests,
    failNext(status: number, n = 1) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    setLatency(ms: number) {
      latency = ms;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get received() {
      return received;
    },
    setMode(m: FakeServerMode, o: { retryAfterSeconds?: number } = {}) {
      mode = m;
      if (o.retryAfterSeconds !== undefined) retryAfterSeconds = o.retryAfterSeconds;
    },
    stop,
    restart: () =>
      new Promise<void>((resolve, reject) => {
        if (listening) return resolve();
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          listening = true;
          resolve();
        });
      }),
    close: stop,
  };
}

if (process.argv[1] && /fakeOpenaiServer\.ts$/.test(process.argv[1])) {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 11435;
  const li = process.argv.indexOf('--latency');
  startFakeOpenAiServer({ port, latencyMs: li >= 0 ? Number(process.argv[li + 1]) : 0 }).then((s) =>
    process.stdout.write(`fake OpenAI-compatible server at ${s.url}\n`),
  );
}
