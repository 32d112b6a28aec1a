/** Small, strict option parsing shared by every CLI command. */
import { knownErrorAnswer } from '../errors';

/**
 * What a command's failure prints after "populace NAME: " and its exit code: a CliError's own message and code; a
 * known domain error (bad input, a refused set, a failed LLM call; lib/errors.ts) its message with exit code 1, as
 * the API answers it; anything else its name and message with exit code 1.
 * @example cliFailure(new AlignInputError('EMPTY', 'The pool is empty.')) -> { message: 'The pool is empty.', exitCode: 1 }
 */
export function cliFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  const known = knownErrorAnswer(err);
  if (known) return { message: known.body.error.message, exitCode: 1 };
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: `${e.name}: ${e.message}`, exitCode: 1 };
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface OptionSpec {
  /** Option name without the leading dashes. */
  name: string;
  /** 'flag' takes no value; 'string' takes one. */
  type: 'flag' | 'string';
  required?: boolean;
  description: string;
}

export type ParsedOptions = Record<string, string | boolean | undefined>;

/** Parses `--name value`, `--name=value` and `--flag`; unknown options are an error. */
export function parseOptions(argv: string[], specs: OptionSpec[], command: string): ParsedOptions {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const out: ParsedOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) throw new CliError(`unexpected argument "${token}"\n\n${helpText(command, specs)}`);
    const eq = token.indexOf('=');
    const name = eq >= 0 ? token.slice(2, eq) : token.slice(2);
    if (name === 'help') {
      process.stdout.write(helpText(command, specs) + '\n');
      throw new CliError('', 0);
    }
    const spec = byName.get(name);
    if (!spec) throw new CliError(`unknown option --${name}\n\n${helpText(command, specs)}`);
    if (spec.type === 'flag') {
      out[name] = true;
      continue;
    }
    const value = eq >= 0 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new CliError(`option --${name} needs a value`);
    out[name] = value;
  }
  for (const spec of specs) {
    if (spec.required && out[spec.name] === undefined) {
      throw new CliError(`missing required option --${spec.name}\n\n${helpText(command, specs)}`);
    }
  }
  return out;
}

export function helpText(command: string, specs: OptionSpec[]): string {
  const lines = [`Usage: npm run -s populace -- ${command} [options]`, '', 'Options:'];
  for (const s of specs) {
    const left = s.type === 'flag' ? `--${s.name}` : `--${s.name} VALUE`;
    lines.push(`  ${left.padEnd(26)} ${s.description}${s.required ? ' (required)' : ''}`);
  }
  return lines.join('\n');
}

/** Reads a numeric option, naming the option when it is not a finite number. */
export function numberOption(opts: ParsedOptions, name: string, fallback: number): number {
  const raw = opts[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) {
    throw new CliError(`option --${name} must be a number, got "${String(raw)}"`);
  }
  return value;
}
