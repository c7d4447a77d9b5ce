import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** The consumer guide the dashboard links to, shipped read-only beside the dashboard's files. */
const CONSUMER_GUIDE = { url: '/guide/CONSUMERS.md', source: 'docs/CONSUMERS.md' };

function consumerGuide(): Plugin {
  const read = () => readFileSync(new URL(CONSUMER_GUIDE.source, import.meta.url));
  return {
    name: 'consumer-guide',
    configureServer(server) {
      server.middlewares.use(CONSUMER_GUIDE.url, (_req, res) => {
        res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
        res.end(read());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: CONSUMER_GUIDE.url.slice(1), source: read() });
    },
  };
}

// The dashboard is built into dist/web and served by the server at `/`.
export default defineConfig({
  root: 'src/web',
  plugins: [react(), consumerGuide()],
  build: { outDir: '../../dist/web', emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:9999',
      '/v1': 'http://127.0.0.1:9999',
      '/docs': 'http://127.0.0.1:9999',
    },
  },
});
