/**
 * The `populace` command line: `npm run -s populace -- <command> [options]`.
 * Each command lives in lib/cli/commands/ in a file named like the command in camelCase (`compute-run` in
 * computeRun.ts) and exports `summary` and `run(argv)`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliFailure } from './args';

interface CommandModule {
  summary: string;
  run(argv: string[]): Promise<number | void>;
}

const commandsDir = fileURLToPath(new URL('./commands/', import.meta.url));

/** The command a file serves: its name in kebab-case (computeRun.ts -> compute-run). */
const commandOf = (file: string) => file.slice(0, -3).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function commandFiles(): Map<string, string> {
  const files = readdirSync(commandsDir).filter((f) => f.endsWith('.ts'));
  return new Map(files.map((f) => [commandOf(f), f]));
}

function listCommands(): string[] {
  return [...commandFiles().keys()].sort();
}

async function loadCommand(name: string): Promise<CommandModule | undefined> {
  const file = commandFiles().get(name);
  if (file === undefined) return undefined;
  return (await import(`./commands/${file}`)) as CommandModule;
}

async function usage(): Promise<string> {
  const lines = ['Usage: npm run -s populace -- <command> [options]', '', 'Commands:'];
  for (const name of listCommands()) {
    const mod = await loadCommand(name);
    lines.push(`  ${name.padEnd(10)} ${mod?.summary ?? ''}`);
  }
  lines.push('', 'Run a command with --help for its options.');
  return lines.join('\n');
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await usage()) + '\n');
    return name ? 0 : 1;
  }
  const mod = await loadCommand(name);
  if (!mod) {
    process.stderr.write(`populace: unknown command "${name}"\n\n${await usage()}\n`);
    return 2;
  }
  try {
    const code = await mod.run(rest);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    const f = cliFailure(err);
    if (f.message) process.stderr.write(`populace ${name}: ${f.message}\n`);
    return f.exitCode;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(String(err) + '\n');
    process.exitCode = 1;
  },
);
