import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Resolve from this file so the build works whether it is started here or from the repo root.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    // The server serves this folder (apps/server resolves ../../dashboard/dist).
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      // The hosted deposit page's script: a second entry with a stable name, referenced by the
      // server-rendered page (/pay/{token}) with a version query instead of a content hash.
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        'deposit-page': fileURLToPath(new URL('./src/deposit-page/main.ts', import.meta.url)),
      },
      output: { entryFileNames: (chunk) => (chunk.name === 'deposit-page' ? 'assets/deposit-page.js' : 'assets/[name]-[hash].js') },
    },
  },
  server: {
    // In development the API runs separately; proxying keeps it same-origin so the session cookie works.
    proxy: { '/api': { target: 'http://127.0.0.1:3000' } },
  },
});
