// The site is fully static (no adapter): the Worker serves web/dist as Workers static assets and fills in the
// vote page's live state itself (edge/src/site/).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'astro/config';

// The ALTCHA widget's dist folder. Its package exports only the unminified external build; the vote page takes the
// minified one (and the PBKDF2 worker) from here as hashed files (`?url`), served from the site's own origin.
const altchaDist = join(dirname(createRequire(import.meta.url).resolve('altcha/external')), '..');

export default defineConfig({
  output: 'static',
  outDir: './dist',
  trailingSlash: 'ignore',
  // Stylesheets as files, never inlined: the Content-Security-Policy (web/public/_headers) allows styles from the
  // site itself only, and hashed files under /_astro are cached for a year.
  build: { format: 'directory', inlineStylesheets: 'never', assets: '_astro' },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: {
    // The stream's own scene (render-node/src/scene) draws /scene: its one native import, @napi-rs/canvas, is the
    // browser's canvas there (src/scripts/scene-canvas.ts). No other page imports that package.
    resolve: { alias: { 'altcha-dist': altchaDist, '@napi-rs/canvas': join(import.meta.dirname, 'src/scripts/scene-canvas.ts') } },
    // The dev server proxies the API and the room to a running `npm start`.
    server: {
      proxy: {
        '/api': 'http://127.0.0.1:8787',
        '/parties': { target: 'ws://127.0.0.1:8787', ws: true },
      },
    },
  },
});
