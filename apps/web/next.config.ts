// Next.js settings for the chat UI. The API is reached through our own route handlers (src/app/graphql), not rewrites,
// because rewrites are frozen at build time and the API address is a run-time setting.
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Compression would buffer the server-sent event stream of answers; a local app gains nothing from it.
  compress: false,
  typescript: { ignoreBuildErrors: false },
};

export default config;
