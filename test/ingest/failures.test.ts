import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/index.js';
import { RunFailedError } from '../../engine/errors.js';
import { loadDelivery } from '../../engine/ingest/load.js';
import { createLogger, silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { runBatch } from '../../engine/run.js';
import { lostLines } from '../../engine/cli/run.js';
import { workspaceStatus } from '../../engine/ops/status.js';
import { openWorkspace } from '../../engine/warehouse/workspace.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const header = 'tax_id,period,declared_revenue,tax_paid,filed_on';

describe('only content that loaded counts as "already loaded" (issue 12, item 5)', () => {
  it.each([
    {
      name: 'every row rejected: read again',
      content: `${header}\n0100109106,2025,-1,0,2026-01-01\n`,
      first: 'rejected',
      again: 'rejected',
    },
    {
      name: 'required column missing: read again',
      content: 'period,declared_revenue\n2025,1\n',
      first: 'rejected',
      again: 'rejected',
    },
    { name: 'a file that failed: read again', content: '', first: 'failed', again: 'failed' },
    {
      name: 'one row loaded: skipped',
      content: `${header}\n0100109106,2025,1,0,2026-01-01\n0312345673,2025,-1,0,2026-01-01\n`,
      first: 'loaded',
      again: 'skipped',
    },
    {
      name: 'a header without rows: skipped (nothing to fix)',
      content: `${header}\n`,
      first: 'loaded',
      again: 'skipped',
    },
  ])('$name', async ({ content, first, again }) => {
    const root = tempDir();
    const dir = writeFiles(join(root, 'd'), { 'declarations.csv': content });
    await withDb(async (db) => {
      const a = await loadDelivery(db, dir, { runId: 'r1', log: silentLogger(), tmpDir: root });
      const b = await loadDelivery(db, dir, { runId: 'r2', log: silentLogger(), tmpDir: root });
      expect(a.files[0]!.status).toBe(first);
      expect(b.files[0]!.status).toBe(again);
      if (again !== 'skipped') expect(b.files[0]!.fileId).not.toBe(a.files[0]!.fileId);
    });
  });
});

describe('a run that cannot score says why, keeps its rejects, and loads the fixed file next time', () => {
  it('taxpayers.csv without tax_id: the run fails naming the column; WS/failed/<run_id>/ keeps rejects; after the fix the run publishes', async () => {
    const root = tempDir();
    const samples = join(packageRoot, 'data-samples');
    const input = join(root, 'delivery');
    writeFiles(input, {});
    for (const f of readdirSync(samples).filter((n) => n.endsWith('.csv')))
      copyFileSync(join(samples, f), join(input, f));
    const original = readFileSync(join(samples, 'taxpayers.csv'), 'utf8');
    // The registry as an agency might send it: the tax_id column left out.
    writeFileSync(
      join(input, 'taxpayers.csv'),
      original
        .split('\n')
        .map((l) => l.slice(l.indexOf(',') + 1))
        .join('\n'),
    );
    const firstName = original.split('\n')[1]!.split(',')[2]!;
    const ws = join(root, 'ws');
    const config = loadConfig(undefined, { threads: 1 });

    for (let attempt = 0; attempt < 2; attempt++) {
      const lines: string[] = [];
      const log = createLogger({ write: (l) => lines.push(l) });
      const err = await runBatch({ input, workspace: ws, config, log }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunFailedError);
      const failed = (err as RunFailedError).failedDir;
      // Read again on the second attempt, never "already loaded": the same reason both times.
      expect((err as Error).message).toMatch(
        /taxpayers: 0 rows loaded \(taxpayers\.csv: 285 read, 285 rejected, 285 × tax_id: required column is missing/,
      );
      expect((err as Error).message).toContain(`rejects and diagnostics kept in ${failed}`);
      expect(readFileSync(join(failed, 'rejects.csv'), 'utf8').trim().split('\n')).toHaveLength(286);
      const diag = JSON.parse(readFileSync(join(failed, 'diagnostics.json'), 'utf8'));
      expect(diag).toMatchObject({ stage: 'required sources', rejects: 285 });
      expect(diag.input_files.find((f: { file: string }) => f.file === 'taxpayers.csv')).toMatchObject({
        read: 285,
        loaded: 0,
        rejected: 285,
      });
      // The run's last lines: the top reasons of the file, with lines, and no values.
      expect(lines.slice(-2).join('\n')).toMatch(
        /taxpayers\.csv: 285 read, 0 loaded, 285 rejected\n.*285 × tax_id: required column is missing .*\(lines 2, 3, 4, 5, 6, …\)/,
      );
      expect(lines.join('\n')).not.toContain(firstName);
      expect(existsSync(join(ws, 'latest'))).toBe(false);
    }

    writeFileSync(join(input, 'taxpayers.csv'), original);
    const result = await runBatch({ input, workspace: ws, config, log: silentLogger() });
    expect(result.load.files.find((f) => f.file === 'taxpayers.csv')).toMatchObject({
      status: 'loaded',
      rowsLoaded: 285,
    });
    expect(result.cases).toBeGreaterThan(0);
  }, 300_000);
});

/** data-samples copied into `root/name`, then `change` applied to the copy. */
function samplesCopy(root: string, name: string, change: (dir: string) => void): string {
  const samples = join(packageRoot, 'data-samples');
  const dir = join(root, name);
  writeFiles(dir, {});
  for (const f of readdirSync(samples).filter((n) => n.endsWith('.csv'))) copyFileSync(join(samples, f), join(dir, f));
  change(dir);
  return dir;
}

describe('a file of an observed source lost whole is published loudly, never as "loaded" (QA item 4)', () => {
  it('a carrier file whose every row is rejected and a bank file refused: status, run.json, headline, report, sangloc status', async () => {
    const root = tempDir();
    const input = samplesCopy(root, 'delivery', (dir) => {
      // every cod_amount written as the carrier's export shows it: "478.000" (not a whole VND amount)
      const ghn = readFileSync(join(dir, 'cod_shipments_ghn.csv'), 'utf8').trimEnd().split('\n');
      writeFileSync(
        join(dir, 'cod_shipments_ghn.csv'),
        `${[ghn[0], ...ghn.slice(1).map((l) => l.replace(/,(\d+)(\d{3}),([a-z_]+),/, ',$1.$2,$3,'))].join('\n')}\n`,
      );
      // a bank statement saved as Excel's "Unicode text": UTF-16LE with a BOM, tab-separated
      const vcb = readFileSync(join(dir, 'bank_transactions_vcb.csv'), 'utf8').replaceAll(',', '\t');
      writeFileSync(
        join(dir, 'bank_transactions_vcb.csv'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(vcb, 'utf16le')]),
      );
    });
    const ws = join(root, 'ws');
    const result = await runBatch({
      input,
      workspace: ws,
      config: loadConfig(undefined, { threads: 1 }),
      log: silentLogger(),
    });
    const ghn = result.load.files.find((f) => f.file === 'cod_shipments_ghn.csv')!;
    expect(ghn).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
    expect(ghn.rowsRejected).toBeGreaterThan(100);
    expect(result.loadProblems.map((p) => [p.file, p.status])).toEqual([
      ['bank_transactions_vcb.csv', 'failed'],
      ['cod_shipments_ghn.csv', 'rejected'],
    ]);
    expect(result.loadProblems[1]!.reason).toMatch(
      /^every row rejected \([\d.]+ of [\d.]+\); top: [\d.]+ × cod_amount: /,
    );

    const runJson = JSON.parse(readFileSync(join(result.runDir, 'run.json'), 'utf8'));
    expect(runJson.input_files.find((f: { file: string }) => f.file === 'cod_shipments_ghn.csv').status).toBe(
      'rejected',
    );
    expect(runJson.load_problems.map((p: { file: string }) => p.file)).toEqual([
      'bank_transactions_vcb.csv',
      'cod_shipments_ghn.csv',
    ]);
    // the headline names both files and what to do
    const headline = lostLines(result.loadProblems, input).join('\n');
    expect(headline).toMatch(/NOT LOADED: bank_transactions_vcb\.csv \(bank_transactions\): refused: .*UTF-16/);
    expect(headline).toMatch(/NOT LOADED: cod_shipments_ghn\.csv \(cod_shipments\): every row rejected/);
    expect(headline).toContain('sangloc check --input');
    // the report's summary: the block naming them, and the first alerts
    const html = readFileSync(join(result.runDir, 'report.html'), 'utf8');
    const summary = html.slice(
      html.indexOf('<section id="summary">'),
      html.indexOf('</section>', html.indexOf('<section id="summary">')),
    );
    expect(summary).toContain('id="load-problems"');
    expect(summary).toContain('bank_transactions_vcb.csv');
    expect(summary).toContain('cod_shipments_ghn.csv');
    // monitoring: WARNING naming both
    const status = workspaceStatus(openWorkspace(ws), { maxAgeHours: 26 });
    expect(status.level).toBe('warning');
    expect(status.problems.map((p) => p.message).join('\n')).toMatch(
      /published without 2 file\(s\) it could not load: bank_transactions_vcb\.csv \(refused\), cod_shipments_ghn\.csv \(every row rejected\)/,
    );
  }, 300_000);

  it('a returns file whose every row is rejected fails the run, also when earlier returns are in the warehouse', async () => {
    const root = tempDir();
    const ws = join(root, 'ws');
    const config = loadConfig(undefined, { threads: 1 });
    const first = samplesCopy(root, 'night1', () => undefined);
    await runBatch({ input: first, workspace: ws, config, log: silentLogger() });
    const second = samplesCopy(root, 'night2', (dir) => {
      // the next night's returns with every declared_revenue written as "1tr2": new content, every row rejected
      const lines = readFileSync(join(dir, 'declarations.csv'), 'utf8').trimEnd().split('\n');
      const col = lines[0]!.split(',').indexOf('declared_revenue');
      writeFileSync(
        join(dir, 'declarations.csv'),
        `${[
          lines[0],
          ...lines.slice(1).map((l) =>
            l
              .split(',')
              .map((v, i) => (i === col ? '1tr2' : v))
              .join(','),
          ),
        ].join('\n')}\n`,
      );
    });
    const latestBefore = readFileSync(join(ws, 'latest', 'run.json'), 'utf8');
    const err = await runBatch({ input: second, workspace: ws, config, log: silentLogger() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailedError);
    expect((err as Error).message).toMatch(
      /lost every row to rejects, so nothing was published: declarations\.csv: [\d.]+ read, [\d.]+ rejected, [\d.]+ × declared_revenue: /,
    );
    expect(readFileSync(join(ws, 'latest', 'run.json'), 'utf8')).toBe(latestBefore);
  }, 300_000);
});
