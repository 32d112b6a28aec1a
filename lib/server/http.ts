/**
 * The dashboard's HTTP server: Next.js's request handler behind Node's own http server, so that the client address
 * Populace sees is the socket's. Without a trusted reverse proxy (POPULACE_TRUST_PROXY unset) the X-Forwarded-For,
 * X-Real-IP and X-Forwarded-Host headers a client sends are replaced or dropped, so they cannot be forged to dodge the
 * per-address sign-in limit or to pass the same-origin check; with POPULACE_TRUST_PROXY=1 the proxy's headers are kept
 * (lib/auth/rateLimit.ts then takes the address the proxy appended last). Every request passes the front door in
 * lib/server/gate.ts first (methods, encodings, Host, sign-in, security headers).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { authRequired } from '../auth/config';
import { env } from '../env';
import { sessionForToken } from '../auth/session';
import { allowedHostsFromEnv, applyGate, type GateOptions } from './gate';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Keep X-Forwarded-* from a reverse proxy in front (default: POPULACE_TRUST_PROXY is 1 or true). */
  trustProxy?: boolean;
  dir?: string;
}

export function trustProxyFromEnv(): boolean {
  return env('POPULACE_TRUST_PROXY');
}

/**
 * Without a trusted proxy: X-Forwarded-For becomes the socket's address and X-Real-IP / X-Forwarded-Host go; with
 * one, the headers stay as the proxy sent them. Mutates and returns `headers`.
 * @example forwardedHeaders({ 'x-forwarded-for': '6.6.6.6' }, '10.0.0.2', false)['x-forwarded-for'] === '10.0.0.2'
 */
export function forwardedHeaders(headers: IncomingHttpHeaders, peer: string | undefined, trustProxy: boolean): IncomingHttpHeaders {
  if (trustProxy) return headers;
  headers['x-forwarded-for'] = peer ?? 'unknown';
  delete headers['x-real-ip'];
  delete headers['x-forwarded-host'];
  return headers;
}

/** Prepares the built app (.next) and listens; resolves once the port is open. */
export async function startHttpServer(o: HttpServerOptions): Promise<Server> {
  const trust = o.trustProxy ?? trustProxyFromEnv();
  // What `next start` sets before loading the server: production mode, and the Node.js runtime, which
  // instrumentation.ts checks before it prepares the workspace and resumes unfinished jobs.
  (process.env as Record<string, string>).NODE_ENV ??= 'production';
  process.env.NEXT_RUNTIME = 'nodejs';
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: o.dir ?? process.cwd(), hostname: o.host, port: o.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const gate: GateOptions = {
    authRequired: authRequired(),
    allowedHosts: allowedHostsFromEnv(),
    sessionIsLive: (token) => sessionForToken(token) !== null,
  };
  const server = createServer((req, res) => {
    forwardedHeaders(req.headers, req.socket.remoteAddress, trust);
    if (applyGate(req, res, gate)) void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return server;
}
