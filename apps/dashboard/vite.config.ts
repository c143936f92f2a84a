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
  },
  server: {
    // In development the API runs separately; proxying keeps it same-origin so the session cookie works.
    proxy: { '/api': { target: 'http://127.0.0.1:3000' } },
  },
});
