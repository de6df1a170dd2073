import iconv from 'iconv-lite';
import { literal } from '../warehouse/db.js';
import { sourceNames, sources, type ColumnSpec, type SourceName } from './sources.js';

/**
 * How one source's files differ from the contract, so an agency's own export loads unedited
 * (config `ingest.sources.<source>`). Every field is optional; an empty object changes nothing.
 *
 * @example
 *   // a bank's statement export: Vietnamese headers, `1.250.000`, `22/11/2026 08:15`, Windows-1258
 *   { rename: { 'Số tiền': 'amount', 'Ngày GD': 'booked_at' }, dateFormat: '%d/%m/%Y',
 *     decimal: ',', thousands: '.', encoding: 'windows-1258' }
 */
export interface SourceIngestConfig {
  /** The file's column name (matched case-insensitively) → the contract's column name. */
  rename?: Record<string, string>;
  /** strptime format of date columns, e.g. `%d/%m/%Y`; timestamps try it with ` %H:%M:%S`, ` %H:%M` and alone. */
  dateFormat?: string;
  /** strptime format of timestamp columns when it is not `dateFormat` plus a time, e.g. `%d/%m/%Y %Hh%M`. */
  timestampFormat?: string;
  /** Decimal mark of money columns (a fraction is rounded to whole VND, half away from zero). */
  decimal?: ',' | '.';
  /** Thousands separator of money columns (`''` for none). */
  thousands?: '.' | ',' | ' ' | '';
  /** Text encoding of files without a BOM, as iconv-lite names it: `utf-16le`, `windows-1258`, `windows-1252` … */
  encoding?: string;
}

export interface IngestConfig {
  sources: Partial<Record<SourceName, SourceIngestConfig>>;
}

export const defaultIngestConfig: IngestConfig = { sources: {} };

const knownKeys = new Set(['rename', 'dateFormat', 'timestampFormat', 'decimal', 'thousands', 'encoding']);

/**
 * Every problem of an `ingest` config section, as `ingest.sources.<source>.<key>: …` lines (empty when valid).
 *
 * @example validateIngestConfig({ sources: { bank_transactions: { rename: { 'Số tiền': 'amout' } } } })
 *   // ['ingest.sources.bank_transactions.rename.Số tiền: "amout" is not a column of bank_transactions (…)']
 */
export function validateIngestConfig(ingest: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(ingest) || !isObject(ingest.sources)) return ['ingest.sources: expected an object keyed by source name'];
  for (const [source, raw] of Object.entries(ingest.sources)) {
    const at = `ingest.sources.${source}`;
    if (!(sourceNames as readonly string[]).includes(source)) {
      problems.push(`${at}: unknown source; expected one of ${sourceNames.join(', ')}`);
      continue;
    }
    if (!isObject(raw)) {
      problems.push(`${at}: expected an object`);
      continue;
    }
    const spec = sources[source as SourceName];
    for (const key of Object.keys(raw)) if (!knownKeys.has(key)) problems.push(`${at}.${key}: unknown setting; expected ${[...knownKeys].join(', ')}`);
    const c = raw as SourceIngestConfig;
    if (c.rename !== undefined) {
      if (!isObject(c.rename)) problems.push(`${at}.rename: expected an object { "their column": "contract column" }`);
      else {
        const targets = new Map<string, string>();
        for (const [theirs, ours] of Object.entries(c.rename)) {
          if (typeof ours !== 'string' || !spec.columns.some((col) => col.name === ours)) {
            problems.push(`${at}.rename.${theirs}: ${JSON.stringify(ours)} is not a column of ${source} (${spec.columns.map((col) => col.name).join(', ')})`);
          } else if (targets.has(ours)) {
            problems.push(`${at}.rename.${theirs}: ${ours} is already the target of "${targets.get(ours)}"`);
          } else targets.set(ours, theirs);
        }
      }
    }
    for (const key of ['dateFormat', 'timestampFormat'] as const) {
      const f = c[key];
      if (f !== undefined && (typeof f !== 'string' || !/%[dmYy]/.test(f) || !/%d|%j/.test(f) || !/%[Yy]/.test(f))) {
        problems.push(`${at}.${key}: expected a strptime format with day and year, e.g. "%d/%m/%Y"; got ${JSON.stringify(f)}`);
      }
    }
    if (c.decimal !== undefined && c.decimal !== ',' && c.decimal !== '.') problems.push(`${at}.decimal: expected "," or "."`);
    if (c.thousands !== undefined && !['.', ',', ' ', ''].includes(c.thousands)) problems.push(`${at}.thousands: expected ".", ",", " " or ""`);
    if (c.decimal !== undefined && c.decimal === c.thousands) problems.push(`${at}: decimal and thousands are both ${JSON.stringify(c.decimal)}`);
    if (c.encoding !== undefined && (typeof c.encoding !== 'string' || !iconv.encodingExists(c.encoding))) {
      problems.push(`${at}.encoding: unknown encoding ${JSON.stringify(c.encoding)}; e.g. "utf-16le", "windows-1258", "windows-1252"`);
    }
  }
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The regex-escaped form of one separator character. */
const reChar = (c: string) => (c === ' ' ? '[  ]' : c.replace(/[.]/g, '\\.'));

/**
 * SQL turning one text column into the contract's form under a source's formats, or `null` when the
 * config leaves the column as delivered. A value the format does not fit is kept as delivered, so
 * the contract check rejects it with its original text.
 *
 * @example contractFormSql(amountSpec, '"Số tiền"', { thousands: '.' })
 *   // case when regexp_full_match(…) then … else "Số tiền" end
 */
export function contractFormSql(col: ColumnSpec, expr: string, c: SourceIngestConfig | undefined): string | null {
  if (!c) return null;
  const v = `trim(${expr})`;
  if (col.type === 'vnd' && (c.decimal !== undefined || c.thousands !== undefined)) {
    const thousands = c.thousands ?? (c.decimal === '.' ? ',' : c.decimal === ',' ? '.' : '');
    const decimal = c.decimal ?? (thousands === '.' ? ',' : '.');
    const grouped = thousands ? `[0-9]{1,3}(${reChar(thousands)}[0-9]{3})+|` : '';
    const shape = `-?(${grouped}[0-9]+)(${reChar(decimal)}[0-9]+)?`;
    const digits = thousands ? `regexp_replace(${v}, ${literal(reChar(thousands))}, '', 'g')` : v;
    const whole = `case when strpos(${v}, ${literal(decimal)}) = 0 then ${digits} ` +
      `else round(replace(${digits}, ${literal(decimal)}, '.')::decimal(38, 6))::hugeint::varchar end`;
    return `case when regexp_full_match(${v}, ${literal(shape)}) then ${whole} else ${expr} end`;
  }
  if (col.type === 'date' && c.dateFormat) {
    return `coalesce(strftime(try_strptime(${v}, ${literal(c.dateFormat)}), '%Y-%m-%d'), ${expr})`;
  }
  if (col.type === 'timestamp' && (c.dateFormat || c.timestampFormat)) {
    const formats = [
      ...(c.timestampFormat ? [c.timestampFormat] : []),
      ...(c.dateFormat ? [`${c.dateFormat} %H:%M:%S`, `${c.dateFormat} %H:%M`, c.dateFormat] : []),
    ];
    return `coalesce(strftime(try_strptime(${v}, [${formats.map(literal).join(', ')}]), '%Y-%m-%dT%H:%M:%S'), ${expr})`;
  }
  return null;
}

/** Matches a file's header to the contract: contract column → the header name it is read from. */
export function mapHeader(spec: { columns: readonly ColumnSpec[] }, header: readonly string[], c: SourceIngestConfig | undefined): Map<string, string> {
  const byLower = new Map<string, string>();
  for (const h of header) if (!byLower.has(h.toLowerCase())) byLower.set(h.toLowerCase(), h);
  const out = new Map<string, string>();
  // A renamed column wins over a header that already carries the contract name.
  for (const [theirs, ours] of Object.entries(c?.rename ?? {})) {
    const h = byLower.get(theirs.trim().toLowerCase());
    if (h !== undefined) out.set(ours, h);
  }
  const taken = new Set(out.values());
  for (const col of spec.columns) {
    const h = byLower.get(col.name);
    if (!out.has(col.name) && h !== undefined && !taken.has(h)) out.set(col.name, h);
  }
  return out;
}
