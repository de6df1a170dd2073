#!/usr/bin/env node
// Rebuilds the committed example in reports/example/ from data-samples/ (run with `npm run example`,
// after `npm run build`): the analyst's report, the case list, a seller dossier and the year's
// statistics, so a visitor sees the output without running anything, and headless-Chromium screenshots of the
// report's first screen at a phone's, an office PC's and a wide screen's width (report-390.png, report-1366.png,
// report-1920.png) and of the dossier. Uses the built engine in dist/.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(new URL(`../dist/engine/${p}`, import.meta.url).href);
const out = join(root, 'reports', 'example');
const ws = mkdtempSync(join(tmpdir(), 'sangloc-example-'));
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .filter(Boolean)
  .find((p) => existsSync(p));

/** Screenshots of a page's first screen, one per [file, width, height]; skipped with a message without Chromium. */
function screenshots(page, shots) {
  if (!chromium) {
    process.stderr.write('example: no Chromium found (CHROMIUM_PATH, /usr/bin/chromium): screenshots skipped\n');
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), 'sangloc-example-chromium-'));
  try {
    for (const [file, width, height] of shots) {
      execFileSync(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--hide-scrollbars',
          '--no-first-run',
          '--disable-background-networking',
          `--user-data-dir=${profile}`,
          `--window-size=${width},${height}`,
          `--screenshot=${join(out, file)}`,
          `file://${page}`,
        ],
        { stdio: 'ignore', timeout: 90_000 },
      );
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const sangloc = (...args) =>
  execFileSync(process.execPath, [join(root, 'bin', 'sangloc.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh' },
  });

/**
 * The first printed page of cases.xlsx as LibreOffice draws it on a vi-VN desktop (PDF, then PNG
 * with pdftoppm): what an analyst gets on paper. Skipped with a message when the tools are missing
 * (`apt-get install -y --no-install-recommends libreoffice-calc poppler-utils`).
 */
function renderXlsxPage(xlsx, png) {
  const soffice = ['/usr/bin/soffice', '/usr/local/bin/soffice'].find((p) => existsSync(p));
  const pdftoppm = ['/usr/bin/pdftoppm', '/usr/local/bin/pdftoppm'].find((p) => existsSync(p));
  if (!soffice || !pdftoppm) {
    process.stderr.write('example: no LibreOffice or pdftoppm; cases-xlsx-page1.png not rebuilt\n');
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'sangloc-lo-'));
  try {
    mkdirSync(join(tmp, 'profile', 'user'), { recursive: true });
    writeFileSync(
      join(tmp, 'profile', 'user', 'registrymodifications.xcu'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" ' +
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">' +
        '<value>vi-VN</value></prop></item>\n</oor:items>\n',
    );
    execFileSync(
      soffice,
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${join(tmp, 'profile')}`,
        '--convert-to',
        'pdf',
        '--outdir',
        tmp,
        xlsx,
      ],
      { stdio: 'ignore', timeout: 180_000 },
    );
    execFileSync(pdftoppm, [
      '-png',
      '-r',
      '110',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(tmp, 'cases.pdf'),
      png.replace(/\.png$/, ''),
    ]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  process.stderr.write('example: running the batch over data-samples …\n');
  sangloc('run', '--input', 'data-samples', '--workspace', ws, '--quiet');
  const runDir = realpathSync(join(ws, 'latest'));
  const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  const cases = JSON.parse(readFileSync(join(runDir, 'cases.json'), 'utf8'));

  // The report with every section the run folder and workspace can give (statistics, model card).
  const { openDb } = await dist('warehouse/db.js');
  const { openWorkspace } = await dist('warehouse/workspace.js');
  const { reportModelFromRun } = await dist('publish/report-from-run.js');
  const { writeReportHtml } = await dist('publish/report.js');
  const workspace = openWorkspace(ws);
  const db = await openDb(workspace.warehouse);
  let model;
  try {
    model = await reportModelFromRun(runDir, { ws: workspace, db });
  } finally {
    db.close();
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await writeReportHtml(join(out, 'report.html'), model);
  for (const f of ['cases.csv', 'cases.xlsx', 'rejects.csv']) copyFileSync(join(runDir, f), join(out, f));
  // run.json without the machine's paths.
  writeFileSync(join(out, 'run.json'), JSON.stringify({ ...run, input: 'data-samples' }, null, 2) + '\n');

  const top = cases[0].entity_id;
  sangloc('explain', top, '--workspace', ws, '--format', 'html', '--out', join(out, `dossier-${top}.html`));
  writeFileSync(join(out, `dossier-${top}.txt`), sangloc('explain', top, '--workspace', ws, '--rows', '10'));
  screenshots(join(out, 'report.html'), [
    ['report-390.png', 390, 844],
    ['report-1366.png', 1366, 768],
    ['report-1920.png', 1920, 1080],
  ]);
  screenshots(join(out, `dossier-${top}.html`), [[`dossier-${top}-1366.png`, 1366, 1400]]);
  const year = String(run.tax_year);
  writeFileSync(
    join(out, `stats-${year}.txt`),
    sangloc('stats', '--period', year, '--workspace', ws, '--out', join(out, `stats-${year}.csv`)).split(
      '\nsangloc:',
    )[0] + '\n',
  );
  renderXlsxPage(join(out, 'cases.xlsx'), join(out, 'cases-xlsx-page1.png'));
  process.stderr.write(
    `example: run ${run.run_id}, work list ${run.work_list?.cases ?? cases.length} of ${cases.length} ranked → ` +
      `reports/example/ (report.html and screenshots, cases, dossier-${top}, stats-${year})\n`,
  );
} finally {
  rmSync(ws, { recursive: true, force: true });
}
