import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/index.js';
import { InputError, RunFailedError, UsageError } from '../../engine/errors.js';
import { assertTaxYearEnded, chooseTaxYear, currentYear } from '../../engine/features/tax-year.js';
import { silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { runBatch } from '../../engine/run.js';
import { readAudit } from '../../engine/warehouse/audit.js';
import { workspacePaths } from '../../engine/warehouse/workspace.js';
import type { Db } from '../../engine/warehouse/db.js';
import { tempDir, withDb, writeFiles } from '../helpers.js';

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

describe('the default tax year is one that has ended (QA leftover 3)', () => {
  /** `stg_declarations` with `filers[year]` distinct filers per tax year. */
  const returns = async (db: Db, filers: Record<number, number>) => {
    await db.exec(`create table stg_declarations (tax_id varchar, tax_year integer)`);
    for (const [year, n] of Object.entries(filers))
      await db.exec(`insert into stg_declarations select 'T' || i, ${year} from range(${n}) t(i)`);
  };
  // 06/12/2026 in Ho Chi Minh City: 2026 still running; 01/01/2027 00:30 there: 2026 has ended
  const december = new Date('2026-12-06T01:00:00Z');
  const newYear = new Date('2026-12-31T17:30:00Z');

  it('in December the running year is set aside, even when it holds the bulk of the returns (quarterly ones)', () =>
    withDb(async (db) => {
      await returns(db, { 2024: 300, 2025: 480, 2026: 520 });
      const choice = await chooseTaxYear(db, 'd', december);
      expect(choice.year).toBe(2025);
      expect(choice.reason).toBe(
        "latest year with returns from at least 10 % of the busiest year's filers (480 filers in 2025); " +
          'set aside: 2026 (520 filers, not ended yet); a year is screened once it has ended',
      );
    }));

  it('in January the year just ended is screened; a few returns of the new year are set aside', () =>
    withDb(async (db) => {
      await returns(db, { 2025: 480, 2026: 450, 2027: 3 });
      const choice = await chooseTaxYear(db, 'd', newYear);
      expect(choice.year).toBe(2026);
      expect(choice.reason).toMatch(/set aside: 2027 \(3 filers, not ended yet\); a year is screened once/);
    }));

  it('a few returns of a later ended year are set aside as before, with the --tax-year hint', () =>
    withDb(async (db) => {
      await returns(db, { 2024: 480, 2025: 2, 2026: 1 });
      const choice = await chooseTaxYear(db, 'd', december);
      expect(choice.year).toBe(2024);
      expect(choice.reason).toBe(
        "latest year with returns from at least 10 % of the busiest year's filers (480 filers in 2024); " +
          'set aside: 2025 (2 filers), 2026 (1 filer, not ended yet); pass --tax-year to screen 2025',
      );
    }));

  it('returns only of the running year: refused, naming it and what to do', () =>
    withDb(async (db) => {
      await returns(db, { 2026: 40 });
      const err = await chooseTaxYear(db, 'deliveries/x', december).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).exitCode).toBe(1);
      expect((err as Error).message).toMatch(
        /^deliveries\/x: the returns are all for years that have not ended \(2026: 40 filers; today is 06\/12\/2026 in Asia\/Ho_Chi_Minh\).*pass --tax-year with a year up to 2025/,
      );
    }));

  it("run without --tax-year on a clock before the returns' years end: the run fails naming them (exit 1)", async () => {
    const root = tempDir();
    const ws = join(root, 'ws');
    const err = await runBatch({
      input: samples(root),
      workspace: ws,
      config: loadConfig(undefined, { threads: 1 }),
      log: silentLogger(),
      now: new Date('2024-06-01T00:00:00Z'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailedError);
    expect((err as RunFailedError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(
      /the returns are all for years that have not ended \(2024: [\d.]+ filers, 2025/,
    );
    expect(existsSync(workspacePaths(ws).latestLink)).toBe(false);
  }, 120_000);
});
