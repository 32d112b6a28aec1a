import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEnv, env, ENV, EnvError, LLM_ROLE_NAMES, LLM_ROLE_SETTINGS, llmRoleEnv, readElsewhere, type EnvName } from '@/lib/env';
import { LLM_ROLES } from '@/lib/llm/config';

const ROOT = path.resolve(__dirname, '../..');
const names = Object.keys(ENV) as EnvName[];

/** The rows of README.md's "Configuration" table: variable -> default cell. */
function readmeTable(): Map<string, string> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration\n'), readme.indexOf('\n## ', readme.indexOf('## Configuration\n') + 1));
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.match(/^\| `([A-Z_<>]+)` \| ([^|]+) \|/);
    if (cells) rows.set(cells[1]!, cells[2]!.trim());
  }
  return rows;
}

const defaultCell = (d: string | undefined) => (d === undefined ? 'none' : d === '' ? 'empty' : `\`${d}\``);

describe('lib/env', () => {
  it('reads defaults, trims and parses values', () => {
    expect(env('POPULACE_MAX_SET_SIZE', {})).toBe(100_000);
    expect(env('POPULACE_MAX_SET_SIZE', { POPULACE_MAX_SET_SIZE: ' 2_500 ' })).toBe(2_500);
    expect(env('POPULACE_MAX_UPLOAD_MB', { POPULACE_MAX_UPLOAD_MB: '0.5' })).toBe(0.5);
    expect(env('POPULACE_HOSTS', { POPULACE_HOSTS: ' a.example, ,b.example ' })).toEqual(['a.example', 'b.example']);
    expect(env('POPULACE_HOSTS', {})).toEqual([]);
    expect(env('POPULACE_TRUST_PROXY', { POPULACE_TRUST_PROXY: 'Yes' })).toBe(true);
    expect(env('POPULACE_REVIEW_REASON_REQUIRED', { POPULACE_REVIEW_REASON_REQUIRED: '  ' })).toBe(true);
    expect(env('POPULACE_AUTH', { POPULACE_AUTH: 'Required' })).toBe('required');
    expect(env('POPULACE_DB', {})).toBeUndefined();
    expect(env('POPULACE_PASSWORD', { POPULACE_PASSWORD: ' spaced pw ' })).toBe(' spaced pw ');
  });

  it('names the variable and the expected form when a value is bad', () => {
    expect(() => env('POPULACE_MAX_UPLOAD_ROWS', { POPULACE_MAX_UPLOAD_ROWS: 'lots' })).toThrow('POPULACE_MAX_UPLOAD_ROWS must be a whole number of at least 1, got "lots".');
    expect(() => env('POPULACE_TRUST_PROXY', { POPULACE_TRUST_PROXY: 'maybe' })).toThrow(/^POPULACE_TRUST_PROXY must be one of 1, true, yes, on, 0, false, no, off, got "maybe"\.$/);
    expect(() => env('POPULACE_AUTH', { POPULACE_AUTH: 'on' })).toThrow(EnvError);
    expect(() => env('PORT', { PORT: '70000' })).toThrow(/^PORT must be a port number/);
    expect(() => env('POPULACE_MAX_UPLOAD_MB', { POPULACE_MAX_UPLOAD_MB: '0' })).toThrow(/POPULACE_MAX_UPLOAD_MB/);
  });

  it('checks every variable at once', () => {
    expect(() => checkEnv({})).not.toThrow();
    expect(() => checkEnv({ PORT: 'x', LLM_BACKOFF_MS: '-1' })).toThrow(/Invalid environment variables:\n- PORT must be .*\n- LLM_BACKOFF_MS must be/);
    expect(() => checkEnv({ LLM_CRITIC_MODLE: 'm' })).toThrow(/LLM_CRITIC_MODLE is not a setting of an LLM role/);
  });

  it('has a default of the declared form for every variable that has one', () => {
    for (const name of names) if (ENV[name].default !== undefined) expect(() => env(name, {}), name).not.toThrow();
  });

  it('reads the roles of lib/llm by the documented pattern', () => {
    expect(LLM_ROLE_NAMES).toEqual(LLM_ROLES.map((r) => r.toUpperCase()));
    expect(llmRoleEnv('critic', 'MODEL', { LLM_CRITIC_MODEL: ' m ' })).toBe('m');
    expect(llmRoleEnv('critic', 'MODEL', { LLM_CRITIC_MODEL: ' ' })).toBeUndefined();
    expect(() => llmRoleEnv('poet', 'MODEL', {})).toThrow(/Unknown LLM role/);
  });

  it("matches README.md's configuration table: every variable with its default, nothing else", () => {
    const table = readmeTable();
    const documented = [...names.map((n) => [n, defaultCell(ENV[n].default)] as const), ...LLM_ROLE_SETTINGS.map((s) => [`LLM_<ROLE>_${s}`, 'none'] as const)];
    for (const [name, cell] of documented) expect(table.get(name), name).toBe(cell);
    expect([...table.keys()].sort()).toEqual(documented.map(([n]) => n).sort());
  });

  it('is the only reader of process.env, apart from the files it names', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(path.join(ROOT, dir))) {
        const p = path.join(dir, name);
        if (name === 'node_modules' || name.startsWith('.')) continue;
        if (statSync(path.join(ROOT, p)).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(name)) files.push(p.split(path.sep).join('/'));
      }
    };
    for (const d of ['app', 'components', 'lib', 'db']) walk(d);
    files.push('instrumentation.ts', 'next.config.ts');
    const reads: string[] = [];
    for (const file of files) {
      if (file === 'lib/env.ts') continue;
      const src = readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of src.matchAll(/(\.\.\.)?\(?process\.env(?: as [^)]*\))?(?:\.(\w+)|\[([^\]]+)\])?(\s*(?:\?\?)?=(?!=))?/g)) {
        const [, spread, dotted, indexed, assignment] = m;
        if (spread || assignment) continue; // the environment handed to a child process, or set for Next.js
        const name = dotted ?? indexed ?? '(all)';
        if (readElsewhere[name as EnvName] === file) continue;
        reads.push(`${file}: ${name}`);
      }
    }
    expect(reads).toEqual([]);
  });
});
