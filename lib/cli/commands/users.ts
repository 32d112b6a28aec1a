/**
 * `users`: accounts for sign-in (needed when the server listens beyond loopback; see lib/auth/config.ts).
 *   users add --username U --role viewer|reviewer|admin
 *   users list
 *   users disable --username U
 *   users set-password --username U
 * The password comes from POPULACE_PASSWORD, or is prompted for (hidden) when stdin is a terminal; at least 10
 * characters.
 */
import readline from 'node:readline';
import { ZodError } from 'zod';
import { CliError, parseOptions } from '../args';
import { env } from '../../env';
import { AppError } from '../../http/errors';
import { MIN_PASSWORD_LENGTH } from '../../auth/password';
import { addAccount, disableAccount, listAccounts, roleSchema, setAccountPassword } from '../../auth/service';
import { closeDb, databasePath } from '../../../db/client';

export const summary = 'manage sign-in accounts: add, list, disable, set-password';

const USAGE = [
  'Usage: npm run -s populace -- users <add|list|disable|set-password> [options]',
  '  add --username U --role viewer|reviewer|admin   create an account',
  '  list                                            list accounts',
  '  disable --username U                            disable an account and end its sessions',
  '  set-password --username U                       set a new password and end its sessions',
  'The password is read from POPULACE_PASSWORD, or prompted for when stdin is a terminal.',
].join('\n');

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    let muted = false;
    // readline echoes through its (undocumented) _writeToOutput; without it the password would be shown
    if (!('_writeToOutput' in rl) || typeof rl._writeToOutput !== 'function') {
      rl.close();
      reject(new CliError('cannot hide the password on this terminal; set POPULACE_PASSWORD instead'));
      return;
    }
    rl._writeToOutput = (s: string) => {
      if (!muted) process.stdout.write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function readPassword(): Promise<string> {
  let password = env('POPULACE_PASSWORD');
  if (password === undefined) {
    if (!process.stdin.isTTY) throw new CliError('set POPULACE_PASSWORD or run in a terminal to be prompted for the password');
    password = await promptHidden('Password: ');
    const again = await promptHidden('Repeat password: ');
    if (again !== password) throw new CliError('the passwords differ');
  }
  if (password.length < MIN_PASSWORD_LENGTH) throw new CliError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const userOpt = { name: 'username', type: 'string' as const, required: true, description: 'account name' };
  try {
    switch (sub) {
      case 'add': {
        const opts = parseOptions(rest, [userOpt, { name: 'role', type: 'string', required: true, description: 'viewer, reviewer or admin' }], 'users add');
        const role = roleSchema.safeParse(opts.role);
        if (!role.success) throw new CliError(`--role must be viewer, reviewer or admin, got "${String(opts.role)}"`);
        const password = await readPassword();
        const u = await addAccount({ username: String(opts.username), role: role.data, password });
        process.stdout.write(`${databasePath()}: added ${u.username} (${u.role})\n`);
        return 0;
      }
      case 'list': {
        parseOptions(rest, [], 'users list');
        const rows = listAccounts();
        if (!rows.length) process.stdout.write('No accounts.\n');
        for (const u of rows) process.stdout.write(`${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\t${u.createdAt}\n`);
        return 0;
      }
      case 'disable': {
        const opts = parseOptions(rest, [userOpt], 'users disable');
        disableAccount(String(opts.username));
        process.stdout.write(`disabled ${String(opts.username)}\n`);
        return 0;
      }
      case 'set-password': {
        const opts = parseOptions(rest, [userOpt], 'users set-password');
        const password = await readPassword();
        await setAccountPassword(String(opts.username), password);
        process.stdout.write(`set a new password for ${String(opts.username)}\n`);
        return 0;
      }
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return sub ? 0 : 2;
      default:
        throw new CliError(`unknown subcommand "${sub}"\n\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message, 1);
    if (err instanceof ZodError) throw new CliError(err.issues.map((i) => i.message).join('; '), 2);
    throw err;
  } finally {
    closeDb();
  }
}


