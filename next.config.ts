import type { NextConfig } from 'next';
import { env } from './lib/env';

/** CI, read as every switch is (lib/env.ts). */
const ciRun = env('CI');

const nextConfig: NextConfig = {
  // A second build folder lets a screenshot session build beside a running test server.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['better-sqlite3'],
  allowedDevOrigins: ['127.0.0.1'],
  poweredByHeader: false,
  typedRoutes: false,
  // CI type-checks with tsc before the tests (.ci/run: `npm run typecheck`, which fails the run on an error), so its
  // one build skips Next's second type-check pass and the build cache only later builds would read.
  typescript: { ignoreBuildErrors: ciRun },
  experimental: { turbopackFileSystemCacheForBuild: !ciRun },
};

export default nextConfig;
