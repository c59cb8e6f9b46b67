/** The overlay end to end, as OBS's browser source shows it: a plain poll live, drawn on a transparent background. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { goLive, OUTPUT, plainPoll } from './support.ts';
import { useSiteSession } from './site-session.ts';

const site = useSiteSession(({ base, token }) => goLive(base, token, plainPoll(`Best snack ${randomBytes(3).toString('hex')}`)));
const { screen, open } = site;

describe('the overlay', () => {
  it('draws on a transparent background (OBS browser source)', async () => {
    const c = await screen();
    const p = await open(c, '/overlay');
    await expect.poll(() => p.locator('#qr svg').count()).toBe(1);
    await expect.poll(() => p.locator('#title').textContent()).not.toBe('');
    const png = await p.screenshot({ omitBackground: true, path: `${OUTPUT}/overlay.png` });
    const probe = await c.newPage();
    const alphas = await probe.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      const g = canvas.getContext('2d')!;
      g.drawImage(bmp, 0, 0);
      const at = (x: number, y: number) => g.getImageData(x, y, 1, 1).data[3];
      return { corners: [at(0, 0), at(bmp.width - 1, 0), at(0, bmp.height - 1)], centre: at(Math.floor(bmp.width / 2), Math.floor(bmp.height / 2)), qr: at(bmp.width - 60, bmp.height - 60) };
    }, png.toString('base64'));
    expect(alphas.corners).toEqual([0, 0, 0]);
    expect(alphas.centre).toBe(0);
    expect(alphas.qr).toBe(255);
  });
});
