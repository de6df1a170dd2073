import { InputError, UsageError } from '../errors.js';
import type { Db } from '../warehouse/db.js';
import { fmt, timeZone } from '../format.js';

/** Share of the busiest year's filers a year needs to count as the bulk of the data. */
export const BULK_SHARE = 0.1;

export interface TaxYearChoice {
  year: number;
  /** Why this year, for the log: the rule, and the later years set aside with their filer counts. */
  reason: string;
}

/**
 * The tax year a run screens when none is given: the latest year **that has ended** (by the clock, in
 * Asia/Ho_Chi_Minh, as `assertTaxYearEnded` asks of `--tax-year`) with returns from at least 10 % of the
 * busiest such year's filers (distinct tax codes in `stg_declarations`). A handful of returns for a later
 * year (a typo that still passed the period checks, a few early filers) does not move the whole run to a
 * year in which nobody else has filed, where every expected yield is 0; and the returns of the year still
 * running (quarterly returns fill it all year) never make the nightly run screen part of a year against an
 * annual threshold: it is set aside until it ends, and the run moves to it on its own the first night after.
 * Throws an InputError when no year with returns has ended.
 *
 * @example await chooseTaxYear(db, 'deliveries/2026-11')
 *   // { year: 2025, reason: 'latest year with returns from at least 10 % of the busiest year's filers
 *   //   (480 filers in 2025); set aside: 2026 (1 filer, not ended yet); …' }
 */
export async function chooseTaxYear(db: Db, input: string, now: Date = new Date()): Promise<TaxYearChoice> {
  const all = await db.all<{ tax_year: number; filers: number }>(
    `select tax_year, count(distinct tax_id)::int as filers from stg_declarations
     where tax_year is not null group by tax_year order by tax_year`,
  );
  if (all.length === 0) {
    throw new InputError(input, 'no declarations loaded, so the tax year cannot be chosen; pass --tax-year');
  }
  const current = currentYear(now);
  const plural = (n: number) => `${fmt().int(n)} filer${n === 1 ? '' : 's'}`;
  const years = all.filter((y) => y.tax_year < current);
  const running = all.filter((y) => y.tax_year >= current);
  if (years.length === 0) {
    throw new InputError(
      input,
      `the returns are all for years that have not ended (${running
        .map((y) => `${y.tax_year}: ${plural(y.filers)}`)
        .join(', ')}; today is ${fmt().date(now.toISOString())} in ${timeZone}), so no tax year can be ` +
        `screened yet: a year is screened once it has ended; deliver the returns of an ended year, or pass ` +
        `--tax-year with a year up to ${current - 1} that the observed revenue falls in`,
    );
  }
  const busiest = years.reduce((a, b) => (b.filers > a.filers ? b : a));
  const needed = Math.max(1, Math.ceil(busiest.filers * BULK_SHARE));
  const year = Math.max(...years.filter((y) => y.filers >= needed).map((y) => y.tax_year));
  const few = years.filter((y) => y.tax_year > year);
  const rule = `latest year with returns from at least ${BULK_SHARE * 100} % of the busiest year's filers`;
  const aside = [
    ...few.map((y) => `${y.tax_year} (${plural(y.filers)})`),
    ...running.map((y) => `${y.tax_year} (${plural(y.filers)}, not ended yet)`),
  ].join(', ');
  return {
    year,
    reason:
      `${rule} (${plural(busiest.filers)} in ${busiest.tax_year})` +
      (aside ? `; set aside: ${aside}` : '') +
      (few.length
        ? `; pass --tax-year to screen ${running.length ? few.map((y) => y.tax_year).join(' or ') : 'one of them'}`
        : '') +
      (running.length && !few.length ? `; a year is screened once it has ended` : ''),
  };
}

/** The calendar year of `now` in Asia/Ho_Chi_Minh (31/12 18:00 UTC is already 1/1 there). */
export function currentYear(now: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(now));
}

/**
 * A tax year asked for with `--tax-year` must have ended (by the machine's clock, in Asia/Ho_Chi_Minh):
 * a year still running has neither its full revenue nor its returns, and its annual threshold would
 * be applied to part of a year. Throws a UsageError (exit 2) before the run touches the workspace.
 *
 * @example assertTaxYearEnded(2026, new Date('2026-12-06T00:00:00Z')) // throws: 2026 has not ended
 */
export function assertTaxYearEnded(year: number, now: Date = new Date()): void {
  const current = currentYear(now);
  if (year < current) return;
  throw new UsageError(
    `--tax-year ${year} has not ended yet (today is ${fmt().date(now.toISOString())} in ${timeZone}); ` +
      `screen a year up to ${current - 1}, or leave --tax-year out to let the returns choose. Nothing was run`,
  );
}

/**
 * The tax year must hold observed revenue: platform sales (GMV > 0), delivered COD parcels or bank
 * credits dated in it. A year with none would publish a list ranked on declarations alone, every
 * observed figure 0 (issue: `--tax-year 2052` published 70 cases, exit 0). Throws an InputError
 * naming the years the observed revenue does fall in.
 *
 * @example await assertObservedRevenueIn(db, 'deliveries/2026-11', 2052, 'from --tax-year')
 */
export async function assertObservedRevenueIn(db: Db, input: string, year: number, why: string): Promise<void> {
  const years = await db.all<{ tax_year: number; rows: number }>(
    `select tax_year, count(*)::bigint as rows from (
       select tax_year from stg_platform_sellers where gmv > 0
       union all select tax_year from stg_cod_shipments where status = 'delivered'
       union all select tax_year from stg_bank_transactions where direction = 'credit'
     ) where tax_year is not null group by tax_year order by tax_year desc`,
  );
  if (years.some((y) => y.tax_year === year)) return;
  const found = years
    .slice(0, 5)
    .map((y) => `${y.tax_year} (${fmt().int(Number(y.rows))} rows)`)
    .join(', ');
  throw new InputError(
    input,
    `tax year ${year} (${why}): none of the observed revenue (platform sales, delivered COD parcels, bank credits) ` +
      `is dated in it, so every seller would show 0 observed revenue; nothing was published. ` +
      (found ? `The observed revenue falls in ${found}${years.length > 5 ? ', …' : ''}; ` : '') +
      'pass --tax-year with one of those years, or leave it out to let the returns choose',
  );
}
