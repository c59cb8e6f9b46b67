// The site is fully static (no adapter): the Worker serves web/dist as Workers static assets and fills in the
// vote page's live state itself (edge/src/site/).
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
  outDir: './dist',
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'always', assets: '_astro' },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: {
    // The dev server proxies the API and the room to a running `npm start`.
    server: {
      proxy: {
        '/api': 'http://127.0.0.1:8787',
        '/parties': { target: 'ws://127.0.0.1:8787', ws: true },
      },
    },
  },
});
