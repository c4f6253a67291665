// Builds GraphiQL into ../dist, which package graphiql embeds in the binary.
//
// File names carry no content hash: a rebuild from the same lock file gives
// byte-identical files under the same names, so `make check-graphiql` can
// rebuild and `git diff --exit-code` the output. The server revalidates
// them with ETags instead of relying on hashed names.
import { defineConfig } from 'vite';

const names = {
  entryFileNames: 'assets/[name].js',
  chunkFileNames: 'assets/[name].js',
  assetFileNames: 'assets/[name][extname]',
};

// React libraries' "use client" directives mean nothing in a plain bundle.
function quiet(level, log, handler) {
  if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
  handler(level, log);
}

export default defineConfig({
  base: '/graphiql/',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    // GraphiQL's editor (Monaco) is large; the size is watched in the
    // package's tests instead.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: { output: names, onLog: quiet },
  },
  // Workers are separate builds: their chunks get a folder of their own so
  // that they never overwrite the page's chunks of the same name.
  worker: {
    format: 'es',
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/workers/[name].js',
        chunkFileNames: 'assets/workers/[name].js',
        assetFileNames: 'assets/workers/[name][extname]',
      },
      onLog: quiet,
    },
  },
});
