import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // A second build folder lets a screenshot session build beside a running test server.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['better-sqlite3'],
  allowedDevOrigins: ['127.0.0.1'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
