import { InputError } from '../errors.js';
import type { Db } from '../warehouse/db.js';
import { fmt } from '../format.js';

/** Share of the busiest year's filers a year needs to count as the bulk of the data. */
export const BULK_SHARE = 0.1;

export interface TaxYearChoice {
  year: number;
  /** Why this year, for the log: the rule, and the later years set aside with their filer counts. */
  reason: string;
}

/**
 * The tax year a run screens when none is given: the latest year with returns from at least 10 %
 * of the busiest year's filers (distinct tax codes in `stg_declarations`). A handful of returns
 * for a later year (a typo that still passed the period checks, a few early filers) does not
 * move the whole run to a year in which nobody else has filed, where every expected yield is 0.
 *
 * @example await chooseTaxYear(db, 'deliveries/2026-11')
 *   // { year: 2025, reason: 'latest year with returns from at least 10 % of the busiest year's filers
 *   //   (480 filers in 2025); set aside: 2026 (1 filer); …' }
 */
export async function chooseTaxYear(db: Db, input: string): Promise<TaxYearChoice> {
  const years = await db.all<{ tax_year: number; filers: number }>(
    `select tax_year, count(distinct tax_id)::int as filers from stg_declarations
     where tax_year is not null group by tax_year order by tax_year`,
  );
  if (years.length === 0) {
    throw new InputError(input, 'no declarations loaded, so the tax year cannot be chosen; pass --tax-year');
  }
  const busiest = years.reduce((a, b) => (b.filers > a.filers ? b : a));
  const needed = Math.max(1, Math.ceil(busiest.filers * BULK_SHARE));
  const year = Math.max(...years.filter((y) => y.filers >= needed).map((y) => y.tax_year));
  const setAside = years.filter((y) => y.tax_year > year);
  const plural = (n: number) => `${fmt().int(n)} filer${n === 1 ? '' : 's'}`;
  const rule = `latest year with returns from at least ${BULK_SHARE * 100} % of the busiest year's filers`;
  const aside = setAside.map((y) => `${y.tax_year} (${plural(y.filers)})`).join(', ');
  return {
    year,
    reason:
      `${rule} (${plural(busiest.filers)} in ${busiest.tax_year})` +
      (setAside.length ? `; set aside: ${aside}; pass --tax-year to screen one of them` : ''),
  };
}
