/**
 * Every environment variable Populace reads: one zod schema per variable, with its default and a one-line
 * description (create-t3-app's env module is the model). Code reads a variable through `env(name)` and nowhere else
 * (the few files that still read process.env themselves are named in `readElsewhere`).
 *
 * - A value is trimmed (but a password); unset or blank means the default (or `undefined` for a variable without one).
 * - A bad value throws an `EnvError` naming the variable and the expected form:
 *   `POPULACE_MAX_SET_SIZE must be a whole number of at least 1, got "many".`
 * - Values are read when asked for, because `serve` and the tests change some of them while the process runs; each
 *   value a variable takes is validated once and remembered. `checkEnv()` validates them all at start-up.
 * - The LLM roles' variables follow one pattern, `LLM_<ROLE>_<SETTING>` (`LLM_CRITIC_MODEL`, `LLM_EMBEDDER_BASE_URL`):
 *   `llmRoleEnv(role, setting)` reads them. The lists of endpoints and keys are checked by lib/llm/config.ts, whose
 *   errors name the variable and the endpoint's position.
 *
 * README.md's "Configuration" table lists every variable here with its default (tests/unit/env.test.ts checks it).
 */
import { z } from 'zod';
import { AppError } from './errors';

/** A variable: how its (trimmed, non-blank) value is read, its default as it would be written, what it does. */
interface EnvSpec<T> {
  schema: z.ZodType<T, string>;
  /** The value used when the variable is unset or blank, as it would be written; undefined: no default. */
  default: string | undefined;
  /** The expected form, for the error message ("a whole number of at least 1"). */
  expected: string;
  description: string;
  /** Keep leading and trailing spaces (a password). */
  keepSpaces?: boolean;
}

const withDefault = <T>(spec: Omit<EnvSpec<T>, 'default'> & { default: string }) => spec;
const optional = <T>(spec: Omit<EnvSpec<T>, 'default'>) => ({ ...spec, default: undefined });

const separators = (s: string) => s.replace(/[_,]/g, '');
/** A whole number (1_000 and 1,000 allowed) from `min` up to `max`. */
const whole = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d[\d_,]*$/)
    .transform((s) => Number(separators(s)))
    .pipe(z.number().int().min(min).max(max));
/** A number greater than 0 (fractions allowed). */
const positive = z
  .string()
  .regex(/^(\d[\d_,]*)?(\.\d+)?$/)
  .transform((s) => Number(separators(s)))
  .pipe(z.number().positive().finite());
const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];
/** A switch: 1, true, yes, on or 0, false, no, off (any case). */
const flag = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum([...TRUE, ...FALSE] as [string, ...string[]]))
  .transform((s) => TRUE.includes(s));
const FLAG = 'one of 1, true, yes, on, 0, false, no, off';
const text = z.string();
/** A comma-separated list, entries trimmed, empty entries dropped. */
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

export const ENV = {
  // Storage
  POPULACE_DATA_DIR: withDefault({
    schema: text,
    default: './var',
    expected: 'a folder',
    description: 'Folder of the database file `populace.db` (relative to the working directory).',
  }),
  POPULACE_DB: optional({
    schema: text,
    expected: 'a file path',
    description: 'The database file itself, instead of `populace.db` in `POPULACE_DATA_DIR`.',
  }),
  // Serving and access
  HOST: withDefault({
    schema: text,
    default: '127.0.0.1',
    expected: 'an address to listen on',
    description: '`serve`: the address to listen on (`--host` wins); another than loopback requires sign-in.',
  }),
  PORT: withDefault({
    schema: whole(0, 65_535),
    default: '3000',
    expected: 'a port number from 0 to 65535',
    description: '`serve`: the port to listen on (`--port` wins).',
  }),
  POPULACE_AUTH: withDefault({
    schema: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(['required', 'off'])),
    default: 'off',
    expected: '"required" or "off"',
    description: '`required`: every page and API call needs a signed-in account (`serve` sets it off loopback).',
  }),
  POPULACE_HOSTS: withDefault({
    schema: list,
    default: '',
    expected: 'host names separated by commas',
    description: 'Host names the Host header may name besides loopback (comma-separated; against DNS rebinding).',
  }),
  POPULACE_TRUST_PROXY: withDefault({
    schema: flag,
    default: 'false',
    expected: FLAG,
    description: 'Keep the X-Forwarded-* headers of a reverse proxy in front (never set it without one).',
  }),
  POPULACE_PASSWORD: optional({
    schema: text,
    keepSpaces: true,
    expected: 'a password',
    description: '`users add` / `users set-password`: the password, instead of a prompt.',
  }),
  POPULACE_BCRYPT_COST: withDefault({
    schema: whole(4, 10),
    default: '10',
    expected: 'a whole number from 4 to 10',
    description: 'The bcrypt cost; read only when `NODE_ENV` is `test` (tests lower it to run faster).',
  }),
  // Limits
  POPULACE_MAX_UPLOAD_MB: withDefault({
    schema: positive,
    default: '256',
    expected: 'a number of megabytes greater than 0',
    description: 'The largest upload, in MB; over it the answer is 413.',
  }),
  POPULACE_MAX_UPLOAD_ROWS: withDefault({
    schema: whole(1),
    default: '1000000',
    expected: 'a whole number of at least 1',
    description: 'The most lines an upload may have; over it the answer is 413.',
  }),
  POPULACE_MAX_SET_SIZE: withDefault({
    schema: whole(1),
    default: '100000',
    expected: 'a whole number of at least 1',
    description: 'The largest set size a user can ask for (a run, an export, a group retrieval).',
  }),
  // Review, runs, jobs
  POPULACE_REVIEW_REASON_REQUIRED: withDefault({
    schema: flag,
    default: 'true',
    expected: FLAG,
    description: 'A reject must name a reason code.',
  }),
  POPULACE_RUNS_IN_PROCESS: withDefault({
    schema: flag,
    default: 'false',
    expected: FLAG,
    description: 'Run the studio\'s full runs in the server process instead of a child process.',
  }),
  POPULACE_JOB_PROGRESS_MS: withDefault({
    schema: whole(0),
    default: '500',
    expected: 'a whole number of milliseconds',
    description: 'The least time between two stored progress updates of a job.',
  }),
  POPULACE_WORKERS: withDefault({
    schema: whole(0),
    default: '4',
    expected: 'a whole number (0: no workers in this process)',
    description: 'Job units the server\'s local workers run at once; 0: none, `populace worker` processes run them.',
  }),
  // LLM servers (the roles' own variables: llmRoleEnv)
  LLM_BASE_URL: optional({
    schema: text,
    expected: 'endpoints: URL or URL|N, separated by commas',
    description: 'The OpenAI-compatible server(s) of every role: `URL` or `URL|N` (N calls at once), comma-separated.',
  }),
  LLM_BASE_URLS: optional({
    schema: text,
    expected: 'endpoints: URL or URL|N, separated by commas',
    description: 'Another name for `LLM_BASE_URL` (set one of them).',
  }),
  LLM_MODEL: optional({
    schema: text,
    expected: 'a model name',
    description: 'The model of the generator, critic and responder roles (the embedder needs its own).',
  }),
  LLM_API_KEY: optional({
    schema: text,
    expected: 'a key',
    description: 'The key of the servers that need one.',
  }),
  LLM_API_KEYS: optional({
    schema: text,
    expected: 'keys separated by commas',
    description: 'One key per endpoint of `LLM_BASE_URL`, in the same order; an empty entry uses `LLM_API_KEY`.',
  }),
  LLM_CONCURRENCY: withDefault({
    schema: whole(1),
    default: '4',
    expected: 'a whole number of at least 1',
    description: 'Calls an endpoint takes at once when its entry has no `|N`.',
  }),
  LLM_MAX_RETRIES: withDefault({
    schema: whole(0),
    default: '4',
    expected: 'a whole number',
    description: 'Retries of a call after a transient failure (429, 5xx, network, timeout).',
  }),
  LLM_BACKOFF_MS: withDefault({
    schema: whole(0),
    default: '500',
    expected: 'a whole number of milliseconds',
    description: 'The first wait before a retry, doubled after each one (with jitter).',
  }),
  LLM_TIMEOUT_MS: withDefault({
    schema: whole(1),
    default: '120000',
    expected: 'a whole number of milliseconds of at least 1',
    description: 'How long one call may take.',
  }),
  LLM_ENDPOINT_FAILURES: withDefault({
    schema: whole(1),
    default: '3',
    expected: 'a whole number of at least 1',
    description: 'Failures in a row after which an endpoint rests.',
  }),
  LLM_ENDPOINT_REST_MS: withDefault({
    schema: whole(0),
    default: '2000',
    expected: 'a whole number of milliseconds',
    description: 'An endpoint\'s first rest, doubled after each failed retry.',
  }),
  LLM_ENDPOINT_MAX_REST_MS: withDefault({
    schema: whole(0),
    default: '300000',
    expected: 'a whole number of milliseconds',
    description: 'The longest rest of an endpoint.',
  }),
  LLM_REPLAY: withDefault({
    schema: flag,
    default: 'false',
    expected: FLAG,
    description: 'Answer calls from the stored call log only (a call not stored is an error).',
  }),
  // Set by Next.js and the tools, read by Populace
  NODE_ENV: withDefault({
    schema: text,
    default: 'development',
    expected: 'development, production or test',
    description: 'Set by Next.js, `serve` (production) and the test runner; `test` lets `POPULACE_BCRYPT_COST` apply.',
  }),
  NEXT_RUNTIME: optional({
    schema: text,
    expected: 'nodejs or edge',
    description: 'Set by Next.js (and `serve`); start-up preparation runs only under `nodejs`.',
  }),
  NEXT_DIST_DIR: withDefault({
    schema: text,
    default: '.next',
    expected: 'a folder',
    description: 'The build folder (read by next.config.ts when building).',
  }),
  CI: withDefault({
    schema: flag,
    default: 'false',
    expected: FLAG,
    description:
      'Set by CI services and `.ci/run`: the build skips Next.js\'s own type check (the run type-checks first) and its build cache; the PostgreSQL tests fail rather than skip without PostgreSQL.',
  }),
} as const satisfies Record<string, EnvSpec<unknown>>;

export type EnvName = keyof typeof ENV;
type Spec<N extends EnvName> = (typeof ENV)[N];
export type EnvValue<N extends EnvName> =
  Spec<N> extends EnvSpec<infer T> ? (Spec<N> extends { default: string } ? T : T | undefined) : never;

/**
 * Files that read their variables from process.env themselves: next.config.ts (at build time, before any module of
 * the app), db/client.ts (db/ imports nothing from lib/), and lib/jobs/runner.ts and instrumentation.ts (not moved
 * yet). tests/unit/env.test.ts fails on any other read.
 */
export const readElsewhere: Partial<Record<EnvName, string>> = {
  POPULACE_DATA_DIR: 'db/client.ts',
  POPULACE_DB: 'db/client.ts',
  POPULACE_JOB_PROGRESS_MS: 'lib/jobs/runner.ts',
  POPULACE_WORKERS: 'lib/jobs/runner.ts',
  NEXT_RUNTIME: 'instrumentation.ts',
  NEXT_DIST_DIR: 'next.config.ts',
};

/** A variable with a value that does not fit its form (500: the server is misconfigured). */
export class EnvError extends AppError {
  constructor(
    readonly variable: string,
    expected: string,
    raw: string,
  ) {
    super('bad_config', `${variable} must be ${expected}, got "${raw}".`, 500, { variable });
    this.name = 'EnvError';
  }
}

export type EnvSource = Record<string, string | undefined>;

/** The last raw value of each variable and what it was read as. */
const seen = new Map<string, { raw: string | undefined; value: unknown }>();

function read<T>(name: string, spec: EnvSpec<T>, source: EnvSource): T | undefined {
  const given = spec.keepSpaces ? source[name] : source[name]?.trim();
  const raw = given === '' ? undefined : given;
  const last = seen.get(name);
  if (last && last.raw === raw) return last.value as T | undefined;
  const input = raw ?? spec.default;
  let value: T | undefined;
  if (input !== undefined) {
    const parsed = spec.schema.safeParse(input);
    if (!parsed.success) throw new EnvError(name, spec.expected, input);
    value = parsed.data;
  }
  seen.set(name, { raw, value });
  return value;
}

/**
 * The value of one variable, read and checked (its default when unset or blank).
 * `source` replaces process.env (tests, and callers that hold a set of variables).
 * @example env('POPULACE_MAX_SET_SIZE') === 100_000 when unset
 */
export function env<N extends EnvName>(name: N, source: EnvSource = process.env): EnvValue<N> {
  return read(name, ENV[name] as EnvSpec<unknown>, source) as EnvValue<N>;
}

/** Checks every variable at once; throws one error listing each bad one. */
export function checkEnv(source: EnvSource = process.env): void {
  const problems: string[] = [];
  for (const name of Object.keys(ENV) as EnvName[]) {
    try {
      env(name, source);
    } catch (e) {
      if (!(e instanceof EnvError)) throw e;
      problems.push(e.message);
    }
  }
  for (const [name, value] of Object.entries(source)) {
    const m = LLM_ROLE_VARIABLE.exec(name);
    if (m && !LLM_ROLE_SETTINGS.includes(m[2] as LlmRoleSetting) && value?.trim()) {
      problems.push(`${name} is not a setting of an LLM role: use one of ${LLM_ROLE_SETTINGS.map((s) => `LLM_${m[1]}_${s}`).join(', ')}.`);
    }
  }
  if (problems.length === 1) throw new AppError('bad_config', problems[0]!, 500);
  if (problems.length > 1) throw new AppError('bad_config', `Invalid environment variables:\n- ${problems.join('\n- ')}`, 500);
}

/**
 * The settings each LLM role may have of its own, as `LLM_<ROLE>_<SETTING>` (ROLE: GENERATOR, CRITIC, RESPONDER,
 * EMBEDDER, the roles of lib/llm/config.ts): its model (the embedder has no fallback to LLM_MODEL), its endpoints
 * (BASE_URL or BASE_URLS, instead of LLM_BASE_URL) and its keys (API_KEY; API_KEYS beside its own endpoints).
 */
export const LLM_ROLE_SETTINGS = ['MODEL', 'BASE_URL', 'BASE_URLS', 'API_KEY', 'API_KEYS'] as const;
export type LlmRoleSetting = (typeof LLM_ROLE_SETTINGS)[number];
/** The roles of lib/llm/config.ts (LLM_ROLES), upper case (a unit test keeps them equal). */
export const LLM_ROLE_NAMES = ['GENERATOR', 'CRITIC', 'RESPONDER', 'EMBEDDER'];
const LLM_ROLE_VARIABLE = new RegExp(`^LLM_(${LLM_ROLE_NAMES.join('|')})_(\\w+)$`);

/** What each role setting does, for the README's table (as `LLM_<ROLE>_<SETTING>`). */
export const LLM_ROLE_SETTING_DESCRIPTIONS: Record<LlmRoleSetting, string> = {
  MODEL: 'The model of one role (GENERATOR, CRITIC, RESPONDER, EMBEDDER), instead of `LLM_MODEL`.',
  BASE_URL: 'The endpoints of one role, instead of `LLM_BASE_URL`.',
  BASE_URLS: 'Another name for `LLM_<ROLE>_BASE_URL` (set one of them).',
  API_KEY: 'The key of one role\'s servers, instead of `LLM_API_KEY`.',
  API_KEYS: 'One key per endpoint of `LLM_<ROLE>_BASE_URL`, in the same order.',
};

/** The name of a role's variable: llmRoleVariable('critic', 'MODEL') === 'LLM_CRITIC_MODEL'. */
export function llmRoleVariable(role: string, setting: LlmRoleSetting): string {
  const R = role.toUpperCase();
  if (!LLM_ROLE_NAMES.includes(R)) throw new Error(`Unknown LLM role "${role}".`);
  return `LLM_${R}_${setting}`;
}

/** A role's own setting (trimmed; undefined when unset or blank). */
export function llmRoleEnv(role: string, setting: LlmRoleSetting, source: EnvSource = process.env): string | undefined {
  const v = source[llmRoleVariable(role, setting)]?.trim();
  return v ? v : undefined;
}
