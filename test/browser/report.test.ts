/**
 * report.html in a real browser (headless Chromium): the page loads with no console message (no
 * script error, no CSP violation), the script fills the case table and the detail panel, the charts
 * render, and a screenshot is saved in test/.tmp/report.png for a person to look at. At a phone's, an office
 * PC's and a wide screen's width (390, 1366, 1920 px) the page never scrolls sideways, the case table (cards on
 * the phone) starts within the first screen, and a screenshot of that first screen is kept in test/.tmp/.
 * Skipped, with a message, when no Chromium is installed (CI: apt-get install chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../engine/paths.js';
import { writeReportHtml } from '../../engine/publish/report.js';
import { renderDossierHtml } from '../../engine/explain/render.js';
import { dossier } from '../explain/fixtures.js';
import { manyRows } from '../publish/fixtures.js';
import { type Browser, openBrowser } from './cdp.js';
import { fullReportModel } from '../publish/report-fixtures.js';

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
const chromium = candidates.find((p): p is string => !!p && existsSync(p));
if (!chromium) {
  console.warn(
    'test/browser: skipped — no Chromium found (tried $CHROMIUM_PATH, /usr/bin/chromium, chromium-browser, google-chrome); install it with `apt-get install -y chromium`',
  );
}

const outDir = join(packageRoot, 'test', '.tmp');
const page = join(outDir, 'report.html');
const screenshot = join(outDir, 'report.png');
const cases = 300;

/** Runs headless Chromium on the page with extra flags; stderr carries console messages at --v=0. */
function runChromium(profile: string, flags: string[], file = page) {
  return spawnSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--enable-logging=stderr',
      '--v=0',
      ...flags,
      `file://${file}`,
    ],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
}

const consoleLines = (stderr: string) => stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));

describe.skipIf(!chromium)('report.html in headless Chromium', () => {
  let dom = '';
  let stderr = '';
  const profile = mkdtempSync(join(tmpdir(), 'sangloc-chromium-'));
  afterAll(() => rmSync(profile, { recursive: true, force: true }));

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    await writeReportHtml(page, fullReportModel(manyRows(cases)));
    const r = runChromium(profile, ['--dump-dom']);
    expect(r.status, r.stderr).toBe(0);
    dom = r.stdout;
    stderr = r.stderr;
  }, 120_000);

  it('loads with no console message (no script error, nothing blocked by the CSP)', () => {
    expect(consoleLines(stderr)).toEqual([]);
  });

  it('fills the case table from the embedded data', () => {
    const body = /<tbody id="cases-body">([\s\S]*?)<\/tbody>/.exec(dom)?.[1] ?? '';
    expect(body.match(/<tr\b/g)).toHaveLength(cases);
    expect(new RegExp(`Hiển thị ${cases} / ${cases} hồ sơ`).test(dom), 'count line').toBe(true);
  });

  it('renders the server-side charts and the script-built channel bars of the first case', () => {
    const svgs = dom.match(/<svg\b/g) ?? [];
    // province bars, histogram, yield curve, scatter, channel bar, feature importance, detail channel bars
    expect(svgs.length).toBeGreaterThanOrEqual(7);
    expect(dom.match(/<polyline\b/g)).toHaveLength(2);
    expect((dom.match(/<circle\b/g) ?? []).length).toBe(cases);
    const detail = /<aside id="detail">([\s\S]*?)<\/aside>/.exec(dom)?.[1] ?? '';
    expect(detail).toMatch(/<svg[^>]*aria-label="Doanh thu theo kênh \/ Amounts by channel"[\s\S]*<rect/);
    expect(detail.includes('sangloc explain E000001'), 'explain hint').toBe(true);
  });

  it('shows the model card, the changes since the previous run and the period statistics', () => {
    expect(dom.includes('forest-2026-0123456789ab'), 'model id shown').toBe(true);
    const changes = /<section id="changes">([\s\S]*?)<\/section>/.exec(dom)?.[1] ?? '';
    expect(changes.includes('E-gone'), 'the dropped case is listed').toBe(true);
    expect(dom.includes('&lt;i&gt;Hà Nội&lt;/i&gt;'), 'escaped province shown').toBe(true);
    expect(dom.includes('<i>Hà Nội</i>'), 'province names are escaped').toBe(false);
  });

  it('saves a screenshot', () => {
    rmSync(screenshot, { force: true });
    const r = runChromium(profile, [`--screenshot=${screenshot}`, '--window-size=1400,2400']);
    expect(r.status, r.stderr).toBe(0);
    expect(consoleLines(r.stderr)).toEqual([]);
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    expect(readFileSync(screenshot).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });
});

/** Measures the laid-out page from inside it. */
const measure = `(function () {
  var d = document.documentElement, table = document.getElementById('cases-table');
  var row = document.querySelector('#cases-body tr'), head = document.querySelector('#cases-table thead');
  var box = table.getBoundingClientRect(), first = row.getBoundingClientRect();
  var widest = { right: 0, what: '' };
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > widest.right) widest = { right: r.right, what: e.tagName + '#' + e.id + '.' + e.className };
  });
  return {
    innerWidth: window.innerWidth, innerHeight: window.innerHeight, scrollWidth: d.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth, tableTop: box.top, firstRowBottom: first.bottom,
    headDisplay: getComputedStyle(head).display, rowDisplay: getComputedStyle(row).display,
    metaOpen: document.getElementById('run-meta').open, widest: widest,
    rows: document.querySelectorAll('#cases-body tr').length,
    tableOverflow: document.getElementById('cases-scroll').scrollWidth - document.getElementById('cases-scroll').clientWidth
  };
})()`;

interface Measure {
  innerWidth: number;
  innerHeight: number;
  scrollWidth: number;
  bodyScrollWidth: number;
  tableTop: number;
  firstRowBottom: number;
  headDisplay: string;
  rowDisplay: string;
  metaOpen: boolean;
  widest: { right: number; what: string };
  rows: number;
  /** How far the table runs past its box sideways (0 = every column visible). */
  tableOverflow: number;
}

const screens = [
  { width: 390, height: 844, cards: true },
  { width: 1366, height: 768, cards: false },
  { width: 1920, height: 1080, cards: false },
];

describe.skipIf(!chromium)('report.html layout at 390, 1366 and 1920 px', () => {
  const profile = mkdtempSync(join(tmpdir(), 'sangloc-chromium-'));
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    await writeReportHtml(page, fullReportModel(manyRows(cases)));
    browser = await openBrowser(chromium!, profile);
  }, 120_000);

  it.each(screens)(
    '$width × $height: no sideways scroll, the cases on the first screen; screenshot kept',
    async ({ width, height, cards }) => {
      const p = await browser.open(`file://${page}`, { width, height });
      const m = await p.evaluate<Measure>(measure);
      expect(p.messages).toEqual([]);
      expect(m.innerWidth).toBe(width);
      expect(m.rows).toBe(cases);
      expect(m.scrollWidth, `widest element: ${JSON.stringify(m.widest)}`).toBeLessThanOrEqual(m.innerWidth);
      expect(m.bodyScrollWidth).toBeLessThanOrEqual(m.innerWidth);
      expect(m.tableOverflow, 'no column of the case table cut off').toBeLessThanOrEqual(0);
      // The table (the first card on a phone) starts on the first screen, its first case fully visible.
      expect(m.tableTop).toBeGreaterThan(0);
      expect(m.firstRowBottom).toBeLessThanOrEqual(m.innerHeight);
      expect(m.metaOpen, 'run metadata folded').toBe(false);
      expect(m.headDisplay === 'none', 'header row hidden on the phone').toBe(cards);
      expect(m.rowDisplay === 'block', 'cases shown as cards on the phone').toBe(cards);
      const png = await p.screenshot();
      // PNG IHDR: the image is the viewport.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
      writeFileSync(join(outDir, `report-${width}.png`), png);
    },
  );
});

describe.skipIf(!chromium)("the dossier's network in headless Chromium", () => {
  const profile = mkdtempSync(join(tmpdir(), 'sangloc-chromium-'));
  const file = join(outDir, 'dossier.html');
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });
  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(file, renderDossierHtml(dossier()));
    browser = await openBrowser(chromium!, profile);
  }, 120_000);

  it('a click on a record node shows that record (its identities row becomes the target)', async () => {
    const p = await browser.open(`file://${file}`, { width: 1366, height: 900 });
    const r = await p.evaluate<{ target: string; background: string; scroll: number; inner: number; nodes: number }>(
      `(function () {
        var a = document.querySelector('#network a[href="#rec-31"]');
        a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
        var t = document.querySelector(':target');
        return { target: t ? t.id : '', background: t ? getComputedStyle(t).backgroundColor : '',
          scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
          nodes: document.querySelectorAll('#network .node').length };
      })()`,
    );
    expect(p.messages).toEqual([]);
    expect(r.nodes).toBe(4);
    expect(r.target).toBe('rec-31');
    expect(r.background).toBe('rgb(255, 243, 196)');
    expect(r.scroll).toBeLessThanOrEqual(r.inner);
  });
});
