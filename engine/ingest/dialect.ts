import { parse } from 'csv-parse/sync';

/** How a CSV file separates and quotes its fields. */
export interface CsvDialect {
  delimiter: string;
  quote: string;
  /** The character that escapes a quote inside a quoted field (`"` doubles it, RFC 4180). */
  escape: string;
  /** Lines before the header: 1 when the file opens with Excel's `sep=;` line. */
  skip: number;
}

export const defaultDialect: CsvDialect = { delimiter: ',', quote: '"', escape: '"', skip: 0 };

/** Delimiters tried when a source's config names none, in order of preference. */
export const delimiterCandidates = [',', ';', '\t', '|'] as const;
export const quoteChoices = ['"', "'"] as const;
export const escapeChoices = ['"', "'", '\\'] as const;

export interface DialectSniff {
  dialect: CsvDialect;
  /** Where the delimiter came from: the config, a `sep=` first line, detected from the head, or the default
   * (nothing fit better). */
  how: 'config' | 'sep= line' | 'detected' | 'default';
  /**
   * Other delimiters the head fits as well (an ambiguous detection), or, when the delimiter in use
   * does not fit the head, the ones that do.
   */
  alternatives: string[];
  /** The header's fields as written (trimmed). */
  header: string[];
  /** Whole records of the head after the header, parsed under `dialect` (values are never logged). */
  sample: string[][];
}

/** Share of the head's records that must have the header's number of fields for a delimiter to fit. */
const FIT = 0.9;

interface Fit {
  delimiter: string;
  quote: string;
  escape: string;
  header: string[];
  sample: string[][];
  /** Records after the header with the header's field count, over all records after it (1 when there are none). */
  share: number;
}

/**
 * Finds a CSV's dialect from its head (the first ~64 KB, already UTF-8): a `sep=` first line wins,
 * then the config, then the one delimiter (`,` `;` tab `|`) under which the header has two fields
 * or more and (nearly) every record of the head has as many; delimiters inside quotes do not count.
 * When several fit, `preferHeader` (how many of the header's names the contract knows) decides,
 * then the order above. Quote and escape characters other than `"` are tried only when `"` does
 * not fit and the config names none.
 *
 * @example sniffDialect('sep=;\ncarrier;waybill\nghn;W1\n', { wholeFile: true })
 * // { dialect: { delimiter: ';', quote: '"', escape: '"', skip: 1 }, how: 'sep= line', header: ['carrier',
 * 'waybill'], … }
 */
export function sniffDialect(
  text: string,
  opts: {
    delimiter?: string;
    quote?: string;
    escape?: string;
    wholeFile: boolean;
    preferHeader?: (header: string[]) => number;
  },
): DialectSniff {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let skip = 0;
  let sepLine: string | undefined;
  const sep = /^"?sep=(.)"?[,;\t|]*\r?(\n|$)/i.exec(text);
  if (sep) {
    sepLine = sep[1]!;
    skip = 1;
    text = text.slice(sep[0].length);
  }
  // A cut head ends inside a record: judge whole lines only.
  if (!opts.wholeFile) {
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak > 0) text = text.slice(0, lastBreak + 1);
  }
  const quote = opts.quote ?? '"';
  const escapeChar = opts.escape ?? opts.quote ?? '"';
  const fitOf = (delimiter: string, q = quote, e = escapeChar) => measure(text, delimiter, q, e);
  const fits = (f: Fit) => f.header.length >= 2 && f.share >= FIT;

  let chosen: Fit;
  let how: DialectSniff['how'];
  let alternatives: string[] = [];
  const fixed = opts.delimiter ?? sepLine;
  if (fixed !== undefined) {
    chosen = fitOf(fixed);
    how = opts.delimiter !== undefined ? 'config' : 'sep= line';
    if (!fits(chosen)) alternatives = delimiterCandidates.filter((d) => d !== fixed && fits(fitOf(d)));
  } else {
    const all = delimiterCandidates.map((d) => fitOf(d));
    const fitting = all.filter(fits);
    if (fitting.length > 0) {
      const prefer = opts.preferHeader ?? (() => 0);
      const ranked = [...fitting].sort((a, b) => prefer(b.header) - prefer(a.header) || b.share - a.share);
      chosen = ranked[0]!;
      how = 'detected';
      alternatives = ranked
        .slice(1)
        .filter((f) => prefer(f.header) === prefer(chosen.header))
        .map((f) => f.delimiter);
    } else {
      // Nothing fits (ragged rows, one column): the delimiter that splits the header best, else ','.
      const split = all
        .filter((f) => f.header.length >= 2)
        .sort((a, b) => b.share - a.share || b.header.length - a.header.length);
      chosen = split[0] ?? all[0]!;
      how = 'default';
    }
  }
  // A quote or escape character other than `"`, only when `"` leaves records broken and another fits.
  if (chosen.share < 1 && opts.quote === undefined && opts.escape === undefined) {
    // Only a character the head actually uses that way: `\"` for a backslash escape, a field opening with `'` for
    // that quote.
    const d = chosen.delimiter.replace(/[|]/g, '\\|');
    const backslash = text.includes('\\"') || text.includes("\\'");
    const single = new RegExp(`(^|[${d}\\n])'`).test(text);
    const tries = [
      ...(backslash ? [fitOf(chosen.delimiter, '"', '\\')] : []),
      ...(single ? [fitOf(chosen.delimiter, "'", "'")] : []),
      ...(single && backslash ? [fitOf(chosen.delimiter, "'", '\\')] : []),
    ];
    const better = tries
      .filter((f) => f.header.length === chosen.header.length && f.share >= FIT && f.share > chosen.share)
      .sort((a, b) => b.share - a.share)[0];
    if (better) {
      chosen = better;
      if (how === 'default') how = 'detected';
    }
  }
  return {
    dialect: { delimiter: chosen.delimiter, quote: chosen.quote, escape: chosen.escape, skip },
    how,
    alternatives,
    header: chosen.header,
    sample: chosen.sample,
  };
}

function measure(text: string, delimiter: string, quote: string, escapeChar: string): Fit {
  let broken = 0;
  let records: string[][] = [];
  try {
    records = parse(text, {
      delimiter,
      quote,
      escape: escapeChar,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: () => {
        broken++;
      },
    }) as string[][];
  } catch {
    broken++;
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const sample = records.slice(1);
  const total = sample.length + broken;
  const share = total === 0 ? 1 : sample.filter((r) => r.length === header.length).length / total;
  return { delimiter, quote, escape: escapeChar, header, sample, share };
}

/** A delimiter as people read it in messages: `';'`, `tab`. */
export const showDelimiter = (d: string) => (d === '\t' ? 'tab' : `'${d}'`);

/**
 * One line describing how a file is read, for the log and `sangloc check`.
 *
 * @example describeDialect(sniff) // "delimiter ';' (sep= line)"
 */
export function describeDialect(s: Pick<DialectSniff, 'dialect' | 'how' | 'alternatives'>): string {
  const d = s.dialect;
  const parts = [`delimiter ${showDelimiter(d.delimiter)} (${s.how})`];
  if (d.quote !== '"') parts.push(`quote ${d.quote}`);
  if (d.escape !== d.quote) parts.push(`escape ${d.escape}`);
  if (s.how === 'detected' && s.alternatives.length)
    parts.push(`also fits ${s.alternatives.map(showDelimiter).join(', ')}: set the delimiter in the config to be sure`);
  return parts.join(', ');
}

export interface AmountFormat {
  decimal: ',' | '.';
  thousands: '.' | ',';
}

/**
 * The digit grouping of money values when they show it without doubt: `1.250.000` or
 * `1.250,5` (Vietnamese: thousands `.`, decimal `,`), `1,250,000` or `1,250.5` (English). A lone
 * `1.250` could be either and decides nothing; a value of the other form (`1.5`, `12,5`) rules a
 * form out.
 *
 * @example sniffAmounts(['1.250.000', '980000', '15.000']) // { decimal: ',', thousands: '.' }
 */
export function sniffAmounts(values: readonly string[]): AmountFormat | undefined {
  const evidence = (t: '.' | ',', d: ',' | '.') => {
    const T = t === '.' ? '\\.' : ',';
    const D = d === '.' ? '\\.' : ',';
    const sure = new RegExp(`^-?\\d{1,3}(${T}\\d{3}){2,}(${D}\\d+)?$|^-?\\d{1,3}(${T}\\d{3})+${D}\\d+$`);
    const fitsForm = new RegExp(`^-?(\\d{1,3}(${T}\\d{3})+|\\d+)(${D}\\d+)?$`);
    let sureCount = 0;
    for (const raw of values) {
      const v = raw.trim();
      if (v === '' || /^-?\d+$/.test(v)) continue;
      if (!fitsForm.test(v) && /^-?[\d.,]+$/.test(v)) return -1; // a number written the other way
      if (sure.test(v)) sureCount++;
    }
    return sureCount;
  };
  const vi = evidence('.', ',');
  const en = evidence(',', '.');
  if (vi > 0 && en <= 0) return { decimal: ',', thousands: '.' };
  if (en > 0 && vi <= 0) return { decimal: '.', thousands: ',' };
  return undefined;
}
