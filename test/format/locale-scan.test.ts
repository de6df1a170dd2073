/**
 * Every text a person reads after a run, scanned for the other language's number shapes: in
 * Vietnamese (the default) no `1,234,567`, no `0.994`, no `5.1`; with `--lang en` the mirror. The
 * run is data-samples; the outputs are the terminal (run and ingest lines, check, explain, stats,
 * diff, status, models), report.html's text, the dossier (text and html) and cases.xlsx (its number
 * formats and its text cells). Years and IDs must appear bare (`2025`, never `2.025`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excelFormats, setLang, type Lang } from '../../engine/format.js';
import { engineVersion } from '../../engine/version.js';
import { cli, samplesDir } from '../cli/helpers.js';
import { readZip } from '../reliability/zip.js';

/** The other language's shapes: what must never appear in a text of `lang`. */
const foreignShapes: Record<Lang, RegExp[]> = {
  vi: [
    /(?<![\w.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])/, // 1,234,567
    /(?<![\w.,])\d+\.\d{1,2}(?![\w.])/, // 5.1, 12.34
    /(?<![\w.,])0\.\d+(?![\w.])/, // 0.994
    /(?<![\w.,])\d{4,}\.\d+(?![\w.])/, // 20454.5
  ],
  en: [
    /(?<![\w.,])[1-9]\d{0,2}(?:\.\d{3}){2,}(?![\d.])/, // 1.234.567
    /(?<![\w.,])\d+,\d{1,2}(?![\w,])/, // 5,1
    /(?<![\w.,])0,\d+(?![\w,])/, // 0,994
    /(?<![\w.,])\d{4,},\d+(?![\w,])/, // 20454,5
  ],
};

/** The lines of `text` with a foreign shape, each with the shape found. */
function foreign(lang: Lang, text: string): string[] {
  const clean = text.replaceAll(engineVersion, '<version>');
  const out: string[] = [];
  for (const line of clean.split('\n')) {
    for (const re of foreignShapes[lang]) {
      const m = re.exec(line);
      if (m) out.push(`${m[0]} in: ${line.trim().slice(0, 200)}`);
    }
  }
  return out;
}

/** What a person sees of an HTML page: no scripts, styles or tags; entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');
}

/** The number formats and text cells of an .xlsx. */
function xlsxParts(file: string): { numFmts: string[]; text: string } {
  const zip = readZip(file);
  const styles = zip.get('xl/styles.xml')!.toString('utf8');
  const numFmts = [...styles.matchAll(/formatCode="([^"]*)"/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));
  const text = [...zip.entries()]
    .filter(([name]) => /^xl\/(worksheets\/sheet\d+|sharedStrings)\.xml$/.test(name))
    .flatMap(([, xml]) =>
      [...xml.toString('utf8').matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>|<c [^>]*t="str"[^>]*><v>([^<]*)<\/v>/g)].map(
        (m) => m[1] ?? m[2]!,
      ),
    )
    .join('\n');
  return { numFmts, text };
}

const ws = mkdtempSync(join(tmpdir(), 'sangloc-locale-'));
const outputs: Record<Lang, Record<string, string>> = { vi: {}, en: {} };
const runDirs: string[] = [];

async function must(args: string[]): Promise<string> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`sangloc ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return r.out + r.err;
}

beforeAll(async () => {
  const config = join(ws, 'config.json');
  writeFileSync(config, JSON.stringify({ threads: 1 }));
  const config2 = join(ws, 'config-threshold.json');
  writeFileSync(config2, JSON.stringify({ threads: 1, taxRules: { 2025: { threshold: 300_000_000 } } }));
  const w = join(ws, 'ws');
  const runs = join(w, 'runs');
  const newestRun = () =>
    join(
      runs,
      readdirSync(runs)
        .filter((d) => /^\d{8}-/.test(d))
        .sort()
        .at(-1)!,
    );
  for (const lang of ['vi', 'en'] as const) {
    const o = outputs[lang];
    const flag = lang === 'en' ? ['--lang', 'en'] : [];
    o.run = await must(['run', '--input', samplesDir, '--workspace', w, '--config', config, ...flag]);
    const dir = newestRun();
    runDirs.push(dir);
    o['report.html'] = visibleText(readFileSync(join(dir, 'report.html'), 'utf8'));
    const x = xlsxParts(join(dir, 'cases.xlsx'));
    o['cases.xlsx text'] = x.text;
    o['cases.xlsx formats'] = x.numFmts.join('\n');
    const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as { entity_id: string }[];
    const id = cases[0]!.entity_id;
    o['explain text'] = await must(['explain', id, '--workspace', w, '--config', config, ...flag]);
    const html = join(ws, `dossier-${lang}.html`);
    await must(['explain', id, '--workspace', w, '--config', config, '--format', 'html', '--out', html, ...flag]);
    o['explain html'] = visibleText(readFileSync(html, 'utf8'));
    o.stats = await must(['stats', '--period', '2025', '--workspace', w, '--config', config, ...flag]);
    o.check = await must(['check', '--input', samplesDir, ...flag]);
    o.status = (await cli(['status', '--workspace', w, ...flag])).out;
    o.models = await must(['models', '--workspace', w, ...flag]);
    // Another threshold, so that the diff has cases with yields to show (another tax year, used
    // before, holds none of the samples' observed revenue: such a run is refused).
    o['run (threshold)'] = await must(['run', '--input', samplesDir, '--workspace', w, '--config', config2, ...flag]);
    o.diff = await must(['diff', dir, newestRun(), '--limit', '1000', ...flag]);
  }
}, 600_000);

afterAll(() => {
  setLang('vi');
  rmSync(ws, { recursive: true, force: true });
});

describe.each(['vi', 'en'] as const)('every person-facing output in %s', (lang) => {
  const names = [
    'run',
    'run (threshold)',
    'report.html',
    'cases.xlsx text',
    'explain text',
    'explain html',
    'stats',
    'check',
    'status',
    'models',
    'diff',
  ];
  it.each(names)(`%s has no number shaped as in the other language`, (name) => {
    const text = outputs[lang][name]!;
    expect(text.length, `${name} is empty`).toBeGreaterThan(0);
    expect(foreign(lang, text)).toEqual([]);
  });

  it('shows grouped numbers of its own language somewhere (the scan would see them)', () => {
    const own = lang === 'vi' ? /\d{1,3}(\.\d{3})+/ : /\d{1,3}(,\d{3})+/;
    expect(outputs[lang].run).toMatch(own);
    expect(outputs[lang]['report.html']).toMatch(own);
    expect(outputs[lang]['explain text']).toMatch(own);
    expect(outputs[lang].diff).toMatch(own);
  });

  it('writes the tax year bare, never grouped', () => {
    // (a measured rate is any number: a file loaded at `2.020 rows/s` is no year, and failed this scan once)
    const withoutRates = (text: string) => text.replace(/\(\d[\d.,]* rows\/s\)/g, '(… rows/s)');
    for (const name of ['run', 'report.html', 'explain text', 'explain html'])
      expect(withoutRates(outputs[lang][name]!), name).not.toMatch(/\b2[.,]02\d\b/);
    expect(outputs[lang]['explain text']).toMatch(lang === 'vi' ? /năm thuế 2025/ : /tax year 2025/);
  });

  it('cases.xlsx uses only the locale-neutral number formats of engine/format.ts', () => {
    const allowed = new Set<string>([...Object.values(excelFormats), 'General']);
    const used = outputs[lang]['cases.xlsx formats']!.split('\n').filter(Boolean);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((f) => !allowed.has(f))).toEqual([]);
  });
});

describe('the scan itself', () => {
  it.each([
    { lang: 'vi' as const, text: 'expected yield 103,817,172 VND', found: true },
    { lang: 'vi' as const, text: 'score 0.994', found: true },
    { lang: 'vi' as const, text: 'z = 5.1', found: true },
    { lang: 'vi' as const, text: 'expected yield 103.817.172 VND, score 0,994, z = 5,1, 22/11/2026', found: false },
    { lang: 'vi' as const, text: 'file cod_shipments_ghn.csv, 20261204-025632-9dae42, 12:30', found: false },
    { lang: 'en' as const, text: 'expected yield 103.817.172 VND', found: true },
    { lang: 'en' as const, text: 'score 0,994', found: true },
    { lang: 'en' as const, text: 'expected yield 103,817,172 VND, score 0.994, 1, 2, 3', found: false },
  ])('$lang: "$text" → $found', ({ lang, text, found }) => {
    expect(foreign(lang, text).length > 0).toBe(found);
  });
});
