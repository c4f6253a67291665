// Builds the studio into ../dist, which package studio embeds in the binary.
//
// File names carry no content hash: a rebuild from the same lock file gives
// byte-identical files under the same names, so `make check-studio` can
// rebuild and `git diff --exit-code` the output (as for GraphiQL). The
// server revalidates them with ETags instead of relying on hashed names.
import { defineConfig } from 'vitest/config';

// React libraries' "use client" directives mean nothing in a plain bundle.
function quiet(level: any, log: any, handler: any) {
  if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
  handler(level, log);
}

// `npm run dev` serves the app with hot reload and sends API calls to a
// running `mosaic dev` (MOSAIC_URL, default http://127.0.0.1:8080).
const api = process.env.MOSAIC_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/studio/',
  server: {
    host: '127.0.0.1',
    proxy: { '/graphql': api, '/assets': api, '/graphiql': api },
  },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/[name].js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
      onLog: quiet,
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
