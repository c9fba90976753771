/** The web app: two entry points (the staff app at /, the buyer portal at /buyer), built into dist/web and served by `shouhou serve`. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: process.env.SHOUHOU_WEB_DIST ?? fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: { agent: `${root}index.html`, buyer: `${root}buyer.html` },
    },
  },
  server: {
    // `npm run web:dev`: the API runs on 8080 (npm start) and Vite proxies to it
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
