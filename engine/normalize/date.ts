import { collapseSpaces, type Raw } from './text.js';

/** How a delivery writes dates. ISO `YYYY-MM-DD` is always accepted as well. */
export type DateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';

/** ISO date, optionally at midnight as spreadsheets export dates (`2026-11-22 00:00:00`). */
const iso = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$/;
const slashed = /^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$/;

/** ISO date text when year, month and day form a real calendar date (years 1900–2100). */
function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Date text → ISO `YYYY-MM-DD`, or null when it is not a real date. ISO input is always read
 * (also at midnight, `2026-11-22 00:00:00`, as spreadsheets export it; other times → null);
 * with `DD/MM/YYYY` (or `MM/DD/YYYY`) those are read too, with `/`, `.` or `-` between parts.
 *
 * @example normDate('2026-11-22')               // '2026-11-22'
 * @example normDate('22/11/2026', 'DD/MM/YYYY') // '2026-11-22'
 * @example normDate('2026-02-30')               // null
 */
export function normDate(s: Raw, format: DateFormat = 'YYYY-MM-DD'): string | null {
  if (s == null) return null;
  const t = collapseSpaces(s);
  const a = iso.exec(t);
  if (a) return isoDate(Number(a[1]), Number(a[2]), Number(a[3]));
  if (format === 'YYYY-MM-DD') return null;
  const b = slashed.exec(t);
  if (!b) return null;
  const [first, second, year] = [Number(b[1]), Number(b[2]), Number(b[3])];
  return format === 'DD/MM/YYYY' ? isoDate(year, second, first) : isoDate(year, first, second);
}

export interface Period {
  /** Canonical text: `2026`, `2026-Q3` or `2026-07`. */
  period: string;
  kind: 'year' | 'quarter' | 'month';
  year: number;
  /** First and last day, ISO dates. */
  start: string;
  end: string;
}

const periodRe = /^([0-9]{4})(?:-?q([1-4])|-([0-9]{1,2}))?$/i;

/**
 * Period text (`YYYY`, `YYYY-Qn`, `YYYY-MM`) → canonical form with its first and last day, or null.
 *
 * @example normPeriod('2026-q3') // { period: '2026-Q3', kind: 'quarter', year: 2026, start: '2026-07-01', end:
 * '2026-09-30' }
 * @example normPeriod('2026-7')  // { period: '2026-07', kind: 'month', year: 2026, start: '2026-07-01', end:
 * '2026-07-31' }
 */
export function normPeriod(s: Raw): Period | null {
  if (s == null) return null;
  const m = periodRe.exec(collapseSpaces(s));
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 1900 || year > 2100) return null;
  const last = (month: number) => isoDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate())!;
  if (m[2] !== undefined) {
    const q = Number(m[2]);
    return { period: `${year}-Q${q}`, kind: 'quarter', year, start: isoDate(year, 3 * q - 2, 1)!, end: last(3 * q) };
  }
  if (m[3] !== undefined) {
    const month = Number(m[3]);
    if (month < 1 || month > 12) return null;
    const mm = String(month).padStart(2, '0');
    return { period: `${year}-${mm}`, kind: 'month', year, start: `${year}-${mm}-01`, end: last(month) };
  }
  return { period: String(year), kind: 'year', year, start: `${year}-01-01`, end: `${year}-12-31` };
}
