/** For tests: crash a browser source's page the hard way, as an out-of-memory kill or a renderer bug would. */
import type { Page } from 'playwright-core';

/** SIGKILLs the renderer processes of the page's browser (only those: found through that browser's own process list). */
export async function killRenderers(page: Page | null): Promise<number[]> {
  if (!page) throw new Error('no page open to crash');
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser');
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
  await cdp.detach();
  const pids = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  if (pids.length === 0) throw new Error('the browser lists no renderer process');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids;
}
