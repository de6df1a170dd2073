import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/index.js';
import { RunFailedError } from '../../engine/errors.js';
import { loadDelivery } from '../../engine/ingest/load.js';
import { createLogger, silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { runBatch } from '../../engine/run.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

const header = 'tax_id,period,declared_revenue,tax_paid,filed_on';

describe('only content that loaded counts as "already loaded" (issue 12, item 5)', () => {
  it.each([
    {
      name: 'every row rejected: read again',
      content: `${header}\n0100109106,2025,-1,0,2026-01-01\n`,
      first: 'loaded',
      again: 'loaded',
    },
    {
      name: 'required column missing: read again',
      content: 'period,declared_revenue\n2025,1\n',
      first: 'loaded',
      again: 'loaded',
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
