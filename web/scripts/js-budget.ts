/**
 * The vote page's JavaScript budget: every script dist/index.html loads (external and inline), plus the chunks
 * those import statically, each gzipped (level 6, as `gzip -c`) and summed. Fails over the budget.
 *   node web/scripts/js-budget.ts [--max-kb 50]
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = resolve(import.meta.dirname, '../dist');
const maxArg = process.argv.indexOf('--max-kb');
const BUDGET_KB = maxArg > 0 ? Number(process.argv[maxArg + 1]) : 50;

export interface BudgetReport {
  files: Array<{ file: string; bytes: number; gzip: number }>;
  totalGzip: number;
}

const gz = (buf: Buffer | string) => gzipSync(buf, { level: 6 }).length;

export function measure(page = 'index.html'): BudgetReport {
  const htmlPath = join(DIST, page);
  if (!existsSync(htmlPath)) throw new Error(`${htmlPath} is missing: build the site first (npm run build -w web)`);
  const html = readFileSync(htmlPath, 'utf8');
  const files: BudgetReport['files'] = [];
  const seen = new Set<string>();

  const visit = (urlPath: string) => {
    const file = join(DIST, urlPath.replace(/^\//, ''));
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file);
    files.push({ file: file.slice(DIST.length + 1), bytes: code.length, gzip: gz(code) });
    // Static imports load with the page too; dynamic import() does not and is not counted.
    for (const m of code.toString('utf8').matchAll(/(?:import|export)\s*(?:[^'"();]*?from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      visit(join(dirname(urlPath), m[1]!));
    }
  };

  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1]!;
    if (/type=["']?application\/(ld\+)?json/.test(attrs)) continue;
    const src = /\ssrc=["']?([^"'\s>]+)/.exec(attrs)?.[1];
    if (src) {
      if (/^https?:/.test(src)) throw new Error(`third-party script in the built page: ${src}`);
      visit(src);
    } else if (m[2]!.trim()) {
      files.push({ file: `(inline script #${files.length + 1})`, bytes: Buffer.byteLength(m[2]!), gzip: gz(m[2]!) });
    }
  }
  for (const m of html.matchAll(/<link\b[^>]*rel=["']?modulepreload[^>]*href=["']?([^"'\s>]+)/g)) visit(m[1]!);
  return { files, totalGzip: files.reduce((n, f) => n + f.gzip, 0) };
}

if (import.meta.main) {
  const report = measure();
  for (const f of report.files) console.log(`${(f.gzip / 1024).toFixed(1).padStart(6)} KB gz  ${(f.bytes / 1024).toFixed(1).padStart(6)} KB  ${f.file}`);
  const kb = report.totalGzip / 1024;
  console.log(`JS on / : ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
  if (kb > BUDGET_KB) {
    console.error(`over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
    process.exit(1);
  }
}
