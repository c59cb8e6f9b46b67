/**
 * A browser screen as the streams manager sees a renderer: `render` hands back the page's newest frame (the view
 * of the fight is the page's business: it reads the room itself), `png` is that frame for /snapshot.png, and
 * `close` ends its Chromium. Until the page's first frame the frame is black, as a canvas is before its first draw.
 */
import type { BrowserSource } from './browser-source.ts';
import { createWorkerBrowserSource } from './worker-browser-source.ts';
import type { ChromiumLaunch } from './chromium.ts';

export interface BrowserRenderer {
  render(view: unknown, t: number): Buffer;
  png(): Promise<Buffer>;
  close(): Promise<void>;
  source: BrowserSource;
}

export function createBrowserRenderer(o: {
  width: number;
  height: number;
  url: string;
  /** The stream's frames a second: the capture takes no more than these from the page. */
  fps?: number;
  launch: ChromiumLaunch;
  log: (event: string, fields?: Record<string, unknown>) => void;
}): BrowserRenderer {
  // In a worker thread of its own: worker-browser-source.ts says why.
  const source = createWorkerBrowserSource(o);
  return {
    render: (_view, t) => source.frame(t).rgba,
    png: () => source.png(),
    close: () => source.close(),
    source,
  };
}
