/** `serve`: migrate and seed, build when the sources changed, then start the dashboard. */
import { parseOptions } from '../args';
import { buildIsCurrent, ensureBuilt } from '../build';
import { prepareWorkspace } from '../../workspace/prepare';
import { databasePath } from '../../../db/client';
import { authModeForListenHost, authRequired } from '../../auth/config';
import { checkEnv, env } from '../../env';
import { startHttpServer, trustProxyFromEnv } from '../../server/http';

export const summary = 'prepare the database, build if needed, and serve the dashboard (npm start)';

export async function run(argv: string[]): Promise<number> {
  const opts = parseOptions(
    argv,
    [
      { name: 'port', type: 'string', description: 'port (default $PORT or 3000)' },
      { name: 'host', type: 'string', description: 'address to listen on (default $HOST or 127.0.0.1)' },
      { name: 'rebuild', type: 'flag', description: 'build even when the build is current' },
      { name: 'no-build', type: 'flag', description: 'never build: serve the current build as it is (tests)' },
    ],
    'serve',
  );
  checkEnv();
  const port = opts.port !== undefined ? String(opts.port) : String(env('PORT'));
  const host = String(opts.host ?? env('HOST'));

  // Sign-in is required whenever the dashboard is reachable from another machine; it can also be forced by hand.
  if (authModeForListenHost(host) === 'required') process.env.POPULACE_AUTH = 'required';
  if (authRequired()) {
    process.stdout.write(`Sign-in required (POPULACE_AUTH=required${authModeForListenHost(host) === 'required' ? `, listening on ${host}` : ''}). Add accounts with: npm run -s populace -- users add --username U --role reviewer\n`);
  }
  process.stdout.write(`Database: ${databasePath()}\n`);
  const prep = prepareWorkspace();
  process.stdout.write(prep.seeded ? `Seeded the demo workspace in ${prep.ms} ms.\n` : 'Demo workspace already present.\n');

  if (!opts['no-build'] && (opts.rebuild || !buildIsCurrent())) {
    process.stdout.write('Building the dashboard (next build)...\n');
    try {
      ensureBuilt({ force: true });
    } catch (e) {
      process.stderr.write(`${(e as Error).message}.\n`);
      return 1;
    }
  }

  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const server = await startHttpServer({ host, port: Number(port) });
  process.stdout.write(`Serving Populace at http://${host === '127.0.0.1' ? 'localhost' : host}:${port}${trustProxyFromEnv() ? ' (trusting X-Forwarded-* from a proxy in front)' : ''}\n`);
  return await new Promise<number>((resolve) => {
    const stop = () => {
      server.closeAllConnections();
      server.close();
      resolve(0);
      setImmediate(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
