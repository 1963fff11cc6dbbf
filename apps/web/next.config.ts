// Next.js settings for the chat UI. The API is reached through our own route handlers (src/app/graphql), not rewrites,
// because rewrites are frozen at build time and the API address is a run-time setting.
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Scripts and pages go out gzip-compressed; the answer streams opt out with Cache-Control: no-transform (proxy.ts).
  compress: true,
  typescript: { ignoreBuildErrors: false },
};

export default config;
