import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard is built into dist/web and served by the server at `/`.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:9999',
      '/v1': 'http://127.0.0.1:9999',
      '/docs': 'http://127.0.0.1:9999',
    },
  },
});
