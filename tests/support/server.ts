/**
 * Starting the built app as a separate process for tests and benches, the way `npm start` serves it
 * (`populace serve --no-build`: lib/server/http.ts): a free 127.0.0.1 port, a data folder of its own, extra
 * environment, a liveness wait, and a crash (SIGKILL of the whole process group) or a stop.
 * Needs a current build in .next (see lib/cli/build.ts); it does not build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The command that serves the current build on host:port, as `npm start` does but without building. */
export function appServerCommand(root: string, host: string, port: number): [string, string[]] {
  const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return [process.execPath, [tsxCli, path.join(root, 'lib', 'cli', 'main.ts'), 'serve', '--no-build', '--host', host, '--port', String(port)]];
}

export interface AppServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server printed so far. */
  log(): string;
  /** SIGKILL to the server and anything it started (its process group); resolves when it has exited. */
  crash(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export async function startAppServer(o: { dataDir: string; env?: Record<string, string>; timeoutMs?: number; root?: string }): Promise<AppServer> {
  const root = o.root ?? process.cwd();
  const port = await freePort();
  const [cmd, args] = appServerCommand(root, '127.0.0.1', port);
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, POPULACE_DATA_DIR: o.dataDir, POPULACE_DB: '', NEXT_TELEMETRY_DISABLED: '1', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a crash takes down every process it started
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  const server: AppServer = {
    url,
    port,
    child,
    log: () => log,
    async crash() {
      killGroup('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup('SIGTERM');
      const t = setTimeout(() => killGroup('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}\n${log}`);
    try {
      const res = await fetch(`${url}/api/live`);
      if (res.ok) return server;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await server.crash();
      throw new Error(`the app did not answer ${url}/api/live in time\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
