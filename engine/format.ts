/**
 * The one formatter of every text a person reads: the report, the dossier, stats, diff, the
 * terminal (run and ingest lines, `sangloc check`), the xlsx number formats. Vietnamese by default
 * (`1.234.567`, `0,994`, `22/11/2026 20:58` in Asia/Ho_Chi_Minh); English with `--lang en`
 * (`1,234,567`, `0.994`, `22 Nov 2026 20:58`). Years and identifiers are never formatted as numbers.
 *
 * Pure: no fs, no clock. `fmt(lang)` gives the formatter of one language; `fmt()` the one of the
 * process's language, which the CLI sets once from `--lang` / `output.language` (`setLang`).
 */

export type Lang = 'vi' | 'en';
export const langs: readonly Lang[] = ['vi', 'en'];

/** BCP 47 tag each language's numbers follow (also read by the report's script). */
export const localeTag: Record<Lang, string> = { vi: 'vi-VN', en: 'en-US' };
/** The tax office's clock. */
export const timeZone = 'Asia/Ho_Chi_Minh';

/**
 * Excel number formats. The codes are locale-neutral (`,` = grouping, `.` = decimal point):
 * Excel and LibreOffice draw them with the reader's separators, so a Vietnamese desktop shows
 * `1.234.567` and `0,994`, an English one `1,234,567` and `0.994`. Years and IDs get `0` / text.
 */
export const excelFormats = { vnd: '#,##0', count: '#,##0', score: '0.000', year: '0', flag: '0' } as const;

export interface Formatter {
  readonly lang: Lang;
  /** Whole number with grouping. @example fmt('vi').int(1234567) // '1.234.567' */
  int(n: number): string;
  /** Number with `digits` decimals exactly. @example fmt('vi').dec(0.9944, 3) // '0,994' */
  dec(n: number, digits: number): string;
  /** Number with at most `digits` decimals. @example fmt('vi').num(2.5) // '2,5' */
  num(n: number, digits?: number): string;
  /** Number to `digits` significant digits. @example fmt('vi').sig(0.000123456, 3) // '0,000123' */
  sig(n: number, digits: number): string;
  /** A 0–1 ratio as percent. @example fmt('vi').pct(0.1234) // '12,3 %' */
  pct(ratio: number, digits?: number): string;
  /** Whole VND with grouping, unit appended. @example fmt('vi').vnd(20454855000) // '20.454.855.000 VND' */
  vnd(n: number): string;
  /** Millions of VND as analysts read them. @example fmt('vi').mvnd(12_345_000) // '12,3 triệu đồng' */
  mvnd(n: number): string;
  /** Short VND for chart labels. @example fmt('vi').shortVnd(2.5e9) // '2,5 tỷ' */
  shortVnd(n: number): string;
  /** Signed whole number. @example fmt('vi').signed(1500) // '+1.500' */
  signed(n: number): string;
  /** Local date and time. @example fmt('vi').time('2026-11-22T13:58:15Z') // '22/11/2026 20:58' */
  time(iso: string | Date): string;
  /** Local date. @example fmt('vi').date('2026-11-22T13:58:15Z') // '22/11/2026' */
  date(iso: string | Date): string;
  /** Duration. @example fmt('vi').ms(1500) // '1,5 s' */
  ms(ms: number): string;
  /** @example fmt('vi').bytes(3_221_225_472) // '3 GiB' */
  bytes(bytes: number): string;
  /** @example fmt('vi').age(3.5) // '3,5 h' */
  age(hours: number): string;
  /** A year as written on a return: never grouped. @example fmt('vi').year(2025) // '2025' */
  year(y: number | null | undefined): string;
  /** An identifier: its text, never a number. @example fmt('vi').id(12345) // '12345' */
  id(v: string | number | null | undefined): string;
}

const pad2 = (s: string) => s.padStart(2, '0');

function makeFormatter(lang: Lang): Formatter {
  const tag = localeTag[lang];
  const cache = new Map<string, Intl.NumberFormat>();
  // One Intl.NumberFormat per shape: building one per call costs 16–58× more.
  const nf = (min: number, max: number): Intl.NumberFormat => {
    const key = `${min}:${max}`;
    let f = cache.get(key);
    if (!f) {
      f = new Intl.NumberFormat(tag, { minimumFractionDigits: min, maximumFractionDigits: max });
      cache.set(key, f);
    }
    return f;
  };
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const local = (iso: string | Date) => {
    const d = iso instanceof Date ? iso : new Date(iso);
    if (Number.isNaN(d.getTime())) return null;
    // ICU orders the parts differently across versions: assemble them ourselves.
    const p = Object.fromEntries(parts.formatToParts(d).map((x) => [x.type, x.value]));
    return {
      day: pad2(p.day!),
      month: pad2(p.month!),
      year: p.year!,
      hour: p.hour === '24' ? '00' : pad2(p.hour!),
      minute: pad2(p.minute!),
    };
  };
  const date = (iso: string | Date): string => {
    const p = local(iso);
    if (!p) return String(iso);
    return lang === 'vi'
      ? `${p.day}/${p.month}/${p.year}`
      : `${Number(p.day)} ${months[Number(p.month) - 1]} ${p.year}`;
  };
  const f: Formatter = {
    lang,
    int: (n) => (Number.isFinite(n) ? nf(0, 0).format(Math.round(n)) : '–'),
    dec: (n, digits) => (Number.isFinite(n) ? nf(digits, digits).format(n) : '–'),
    num: (n, digits = 2) => (Number.isFinite(n) ? nf(0, digits).format(n) : '–'),
    sig: (n, digits) =>
      Number.isFinite(n) ? new Intl.NumberFormat(tag, { maximumSignificantDigits: digits }).format(n) : '–',
    pct: (ratio, digits = 1) => (Number.isFinite(ratio) ? `${nf(0, digits).format(100 * ratio)} %` : '–'),
    vnd: (n) => `${f.int(n)} VND`,
    mvnd: (n) => {
      const m = n / 1e6;
      const text = nf(0, Math.abs(m) >= 100 ? 0 : 1).format(m);
      return lang === 'vi' ? `${text} triệu đồng` : `${text} million VND`;
    },
    shortVnd: (v) => {
      if (Math.abs(v) >= 1e9) return `${nf(0, 1).format(v / 1e9)} ${lang === 'vi' ? 'tỷ' : 'bn'}`;
      if (Math.abs(v) >= 1e6) return `${nf(0, 0).format(v / 1e6)} ${lang === 'vi' ? 'tr' : 'M'}`;
      return nf(0, 0).format(v);
    },
    signed: (n) => (n > 0 ? '+' : '') + f.int(n),
    time: (iso) => {
      const p = local(iso);
      return p ? `${date(iso)} ${p.hour}:${p.minute}` : String(iso);
    },
    date,
    ms: (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${nf(1, 1).format(ms / 1000)} s`),
    bytes: (bytes) => {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let v = bytes;
      let u = 0;
      while (Math.abs(v) >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
      }
      return `${nf(0, 1).format(v)} ${units[u]}`;
    },
    age: (hours) => {
      if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
      if (hours < 48) return `${nf(0, 1).format(hours)} h`;
      return `${nf(0, 1).format(hours / 24)} ${lang === 'vi' ? 'ngày' : 'days'}`;
    },
    year: (y) => (y === null || y === undefined || !Number.isFinite(y) ? '–' : String(Math.trunc(y))),
    id: (v) => (v === null || v === undefined ? '' : String(v)),
  };
  return f;
}

const formatters: Record<Lang, Formatter> = { vi: makeFormatter('vi'), en: makeFormatter('en') };
let processLang: Lang = 'vi';

/**
 * The formatter of `lang`, or of the process's language (vi unless the CLI set another).
 *
 * @example fmt('en').int(103817172) // '103,817,172'
 * @example fmt().int(103817172)     // '103.817.172'
 */
export function fmt(lang?: Lang): Formatter {
  return formatters[lang ?? processLang];
}

/** Sets the language of the process's terminal lines; the CLI calls it once from `--lang` / `output.language`. */
export function setLang(lang: Lang): void {
  processLang = lang;
}

/** The process's language. */
export function currentLang(): Lang {
  return processLang;
}

/** Reads a `--lang` value. @example parseLang('en') // 'en' */
export function parseLang(v: string): Lang | undefined {
  return (langs as readonly string[]).includes(v) ? (v as Lang) : undefined;
}
