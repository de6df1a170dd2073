/**
 * The selling calendar of a year: Tết rush and holiday lull, the double-day sales (9.9, 10.10,
 * 11.11, 12.12) and the year-end peak. Days are drawn from it for parcels and transfers.
 */
import { Weighted, pad, type Rng } from './random.js';

/** First day of the lunar new year (Tết Nguyên Đán). */
const tetDates: Record<number, string> = {
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
};

/** Relative sales by month (January first): year-end and pre-Tết peaks. */
export const monthWeights = [1.3, 0.8, 0.9, 0.9, 0.95, 1.0, 0.9, 0.95, 1.0, 1.05, 1.35, 1.45];

export interface Day {
  /** `YYYY-MM-DD` */
  date: string;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  /** Day of year from 0. */
  index: number;
}

/**
 * The days of a year with their sales weights.
 *
 * @example const cal = new SalesCalendar(2025); cal.pick(rng).date // '2025-11-11' more often than most
 */
export class SalesCalendar {
  readonly days: Day[] = [];
  private readonly weighted: Weighted<number>;

  constructor(readonly year: number) {
    const tet = Date.parse(`${tetDates[year] ?? `${year}-02-01`}T00:00:00Z`);
    const entries: [number, number][] = [];
    for (let t = Date.UTC(year, 0, 1), i = 0; new Date(t).getUTCFullYear() === year; t += 86_400_000, i++) {
      const d = new Date(t);
      const month = d.getUTCMonth() + 1;
      const day = d.getUTCDate();
      this.days.push({ date: `${year}-${pad(month, 2)}-${pad(day, 2)}`, month, day, index: i });
      let w = monthWeights[month - 1]!;
      const fromTet = Math.round((t - tet) / 86_400_000);
      if (fromTet >= -16 && fromTet < -2)
        w *= 2.2; // Tết shopping
      else if (fromTet >= -2 && fromTet <= 4) w *= 0.15; // holiday: carriers and shops stop
      if (month >= 6 && day === month) w *= 4; // 6.6 … 12.12 sales days
      if (month === 12 && day >= 20 && day <= 24) w *= 1.6;
      entries.push([i, w]);
    }
    this.weighted = new Weighted(entries);
  }

  /** A day drawn with the sales weights. */
  pick(rng: Rng): Day {
    return this.days[this.weighted.pick(rng)]!;
  }

  /** A day drawn with the sales weights within a month (1–12). */
  pickInMonth(rng: Rng, month: number): Day {
    for (let tries = 0; tries < 64; tries++) {
      const d = this.pick(rng);
      if (d.month === month) return d;
    }
    const first = this.days.findIndex((d) => d.month === month);
    const count = this.days.filter((d) => d.month === month).length;
    return this.days[first + rng.int(0, count - 1)]!;
  }

  /** The day `n` days after `d` (clamped to the year's last day). */
  after(d: Day, n: number): Day {
    return this.days[Math.min(this.days.length - 1, Math.max(0, d.index + n))]!;
  }

  /** Uniformly any day of a month. */
  anyInMonth(rng: Rng, month: number): Day {
    const first = this.days.findIndex((d) => d.month === month);
    const count = month === 12 ? this.days.length - first : this.days.findIndex((d) => d.month === month + 1) - first;
    return this.days[first + rng.int(0, count - 1)]!;
  }
}

/** `2025-10-12` + a time of day → ISO timestamp, with `+07:00` or without offset (local time). */
export function timestamp(date: string, secondsOfDay: number, withOffset: boolean): string {
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const s = secondsOfDay % 60;
  return `${date}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${withOffset ? '+07:00' : ''}`;
}

/** A random date between two years inclusive, `YYYY-MM-DD`. */
export function randomDate(rng: Rng, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 11, 31);
  const t = from + Math.floor(rng.next() * ((to - from) / 86_400_000 + 1)) * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
