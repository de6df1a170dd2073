import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/index.js';
import { RunFailedError, UsageError } from '../../engine/errors.js';
import { assertTaxYearEnded, currentYear } from '../../engine/features/tax-year.js';
import { silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { runBatch } from '../../engine/run.js';
import { readAudit } from '../../engine/warehouse/audit.js';
import { workspacePaths } from '../../engine/warehouse/workspace.js';
import { tempDir, writeFiles } from '../helpers.js';

/** data-samples (its observed revenue is dated 2025, with a few rows of 2024) copied into a temp folder. */
function samples(root: string): string {
  const from = join(packageRoot, 'data-samples');
  const dir = writeFiles(join(root, 'delivery'), {});
  for (const f of readdirSync(from).filter((n) => n.endsWith('.csv'))) copyFileSync(join(from, f), join(dir, f));
  return dir;
}

/** A batch over a copy of data-samples into `ws` for `taxYear`: the error it fails with. */
const failure = (root: string, ws: string, taxYear: number, now?: Date): Promise<unknown> =>
  runBatch({
    input: samples(root),
    workspace: ws,
    config: loadConfig(undefined, { threads: 1 }),
    taxYear,
    log: silentLogger(),
    ...(now && { now }),
  }).catch((e: unknown) => e);

describe('a tax year that has not ended is refused (QA item 3)', () => {
  it('the year of the clock in Asia/Ho_Chi_Minh, or later, is refused; the year before is not', () => {
    // 31/12/2026 23:59:59 in Ho Chi Minh City: 2026 still running
    const lastSecond = new Date('2026-12-31T16:59:59Z');
    expect(currentYear(lastSecond)).toBe(2026);
    expect(() => assertTaxYearEnded(2026, lastSecond)).toThrow(UsageError);
    expect(() => assertTaxYearEnded(2052, lastSecond)).toThrow(
      /--tax-year 2052 has not ended yet \(today is 31\/12\/2026/,
    );
    expect(() => assertTaxYearEnded(2025, lastSecond)).not.toThrow();
    // 1/1/2027 00:00 there (still 31/12 in UTC): 2026 has ended
    expect(() => assertTaxYearEnded(2026, new Date('2026-12-31T17:00:00Z'))).not.toThrow();
  });

  it('run --tax-year of the running year: exit 2 before the workspace is created', async () => {
    const root = tempDir();
    const ws = join(root, 'ws');
    const err = await failure(root, ws, currentYear());
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect(existsSync(ws)).toBe(false);
  });
});

describe('a tax year in which none of the observed revenue falls is refused (QA item 3)', () => {
  it.each([
    { year: 2023, now: undefined },
    { year: 2052, now: new Date('2060-06-01T00:00:00Z') },
  ])(
    '--tax-year $year: the run fails naming the years the revenue falls in; nothing published',
    async ({ year, now }) => {
      const root = tempDir();
      const ws = join(root, 'ws');
      const err = await failure(root, ws, year, now);
      expect(err).toBeInstanceOf(RunFailedError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `tax year ${year} \\(from --tax-year\\): none of the observed revenue .* is dated in it.*nothing was ` +
            'published. The observed revenue falls in 2025 \\([\\d.]+ rows\\)',
        ),
      );
      expect((err as RunFailedError).exitCode).toBe(1);
      expect(existsSync(workspacePaths(ws).latestLink)).toBe(false);
      expect(readAudit(workspacePaths(ws)).map((e) => e.action)).toEqual(['run_failed']);
    },
    120_000,
  );
});
