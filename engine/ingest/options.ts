import iconv from 'iconv-lite';
import { z } from 'zod';
import { literal } from '../warehouse/db.js';
import { delimiterCandidates, escapeChoices, quoteChoices } from './dialect.js';
import { sourceNames, sources, type ColumnSpec, type SourceName } from './sources.js';

/** strptime format with a day and a year, e.g. `%d/%m/%Y`. */
const strptimeFormat = z
  .string()
  .refine((f) => /%[dmYy]/.test(f) && /%d|%j/.test(f) && /%[Yy]/.test(f), {
    error: (issue) =>
      `expected a strptime format with day and year, e.g. "%d/%m/%Y"; got ${JSON.stringify(issue.input)}`,
  })
  .meta({ typeLabel: 'strptime format' });

/**
 * Every setting of `ingest.sources.<source>`, in this one place. To add a setting: add its key
 * here with a zod type and a `.describe()` (the text docs/config.md shows; run `npm run docs:config`),
 * a check between settings if it needs one in `checkSourceSettings` below, and read it where
 * files are read. The TS type `SourceIngestConfig` follows; unknown keys stay refused.
 */
export const sourceIngestShape = {
  rename: z
    .record(
      z.string(),
      z
        .string()
        .meta({ typeLabel: 'contract column of the source' })
        .describe('The contract column this file column holds.'),
    )
    .optional()
    .meta({ keyName: 'their column' })
    .describe(
      "The file's column name (compared as headers are: case, spacing, punctuation and diacritics aside) → " +
        "the contract's column name; needed only for names the built-in dictionary does not know " +
        '(docs/ingest.md, "Header recognition"); a renamed column wins over the contract name and synonyms.',
    ),
  dateFormat: strptimeFormat
    .optional()
    .describe(
      'strptime format of date columns, e.g. `%d/%m/%Y`; timestamps try it with ` %H:%M:%S`, ` %H:%M` and alone.',
    ),
  timestampFormat: strptimeFormat
    .optional()
    .describe('strptime format of timestamp columns when it is not `dateFormat` plus a time, e.g. `%d/%m/%Y %Hh%M`.'),
  decimal: z
    .enum([',', '.'])
    .optional()
    .describe('Decimal mark of money columns (a fraction is rounded to whole VND, half away from zero).'),
  thousands: z.enum(['.', ',', ' ', '']).optional().describe('Thousands separator of money columns (`""` for none).'),
  encoding: z
    .string()
    .refine((e) => iconv.encodingExists(e), {
      error: (issue) =>
        `unknown encoding ${JSON.stringify(issue.input)}; e.g. "utf-16le", "windows-1258", "windows-1252"`,
    })
    .optional()
    .meta({ typeLabel: 'iconv-lite encoding name' })
    .describe(
      'Text encoding of files without a BOM, as iconv-lite names it: `utf-16le`, `windows-1258`, `windows-1252` …',
    ),
  delimiter: z
    .enum(delimiterCandidates)
    .optional()
    .describe(
      'CSV field separator: `,` `;` `\\t` (tab) or `|`; default: a `sep=` first line, else detected from the head ' +
        '(docs/ingest.md, "CSV dialects").',
    ),
  quote: z.enum(quoteChoices).optional().describe('CSV quote character: `"` (default) or `\'`.'),
  escape: z
    .enum(escapeChoices)
    .optional()
    .describe('Character escaping a quote inside a quoted field: the quote itself (doubled, the default) or `\\`.'),
  sheet: z
    .union([
      z.string().min(1, { error: 'expected a sheet name or its position (1 = first)' }),
      z.int().min(1, { error: 'expected a sheet name or its position (1 = first)' }),
    ])
    .optional()
    .describe(
      'Workbooks (`.xlsx`): the sheet to load, by name or position (1 = first); ' +
        'default: the first sheet with a header row for the source.',
    ),
  headerRow: z
    .int()
    .min(1)
    .max(1_048_576)
    .optional()
    .describe(
      'Workbooks: the row holding the column names, as Excel numbers it (1 = first row); ' +
        'default: found among the first 20 rows.',
    ),
};

/** Checks between the settings of one source (each setting's own type is checked by its schema). */
function checkSourceSettings(c: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (c.decimal !== undefined && c.decimal === c.thousands) {
    ctx.addIssue({ code: 'custom', message: `decimal and thousands are both ${JSON.stringify(c.decimal)}` });
  }
}

/** Checks that need the source's name: rename targets are columns of that source, one name each. */
function checkRenames(bySource: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [source, raw] of Object.entries(bySource)) {
    // An unknown source is reported by the schema.
    if (!Object.hasOwn(sources, source) || !isObject(raw) || !isObject(raw.rename)) continue;
    const spec = sources[source as SourceName];
    const targets = new Map<string, string>();
    for (const [theirs, ours] of Object.entries(raw.rename)) {
      const path = [source, 'rename', theirs];
      if (typeof ours !== 'string') continue; // its type is reported by the schema
      if (!spec.columns.some((col) => col.name === ours)) {
        const columns = spec.columns.map((col) => col.name).join(', ');
        const message = `${JSON.stringify(ours)} is not a column of ${source} (${columns})`;
        ctx.addIssue({ code: 'custom', path, message });
      } else if (targets.has(ours)) {
        ctx.addIssue({ code: 'custom', path, message: `${ours} is already the target of "${targets.get(ours)}"` });
      } else targets.set(ours, theirs);
    }
  }
}

/** Cross-setting checks also run when another setting is wrong, so every problem is reported at once. */
const whenObject = { when: (payload: { value: unknown }) => isObject(payload.value) };

export const sourceIngestSchema = z.strictObject(sourceIngestShape).superRefine(checkSourceSettings, whenObject);

/**
 * How one source's files differ from the contract, so an agency's own export loads unedited
 * (config `ingest.sources.<source>`). Every field is optional; an empty object changes nothing.
 *
 * @example
 *   // a bank's statement export: Vietnamese headers, `1.250.000`, `22/11/2026 08:15`, Windows-1258
 *   { rename: { 'Số tiền': 'amount', 'Ngày GD': 'booked_at' }, dateFormat: '%d/%m/%Y',
 *     decimal: ',', thousands: '.', encoding: 'windows-1258' }
 */
export type SourceIngestConfig = z.infer<typeof sourceIngestSchema>;

/** The `ingest` section of the config (see docs/ingest.md). */
export const ingestConfigSchema = z
  .strictObject({
    sources: z
      .partialRecord(
        z.enum(sourceNames),
        sourceIngestSchema.describe("One source's settings; every setting is optional."),
      )
      .superRefine(checkRenames, whenObject)
      .default({})
      .meta({ keyName: 'source' })
      .describe(`How each source's files differ from the contract; a source is one of ${sourceNames.join(', ')}.`),
  })
  .describe('Per-source column names, formats and encodings of agency exports (docs/ingest.md).');

export type IngestConfig = z.infer<typeof ingestConfigSchema>;

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
    // An amount too long for decimal(38, 6) (a 35-digit typo) stays as delivered: the contract
    // check rejects that row, where a cast error would fail the whole file.
    const whole =
      `case when strpos(${v}, ${literal(decimal)}) = 0 then ${digits} ` +
      `else round(try_cast(replace(${digits}, ${literal(decimal)}, '.') as decimal(38, 6)))::hugeint::varchar end`;
    return `case when regexp_full_match(${v}, ${literal(shape)}) then coalesce(${whole}, ${expr}) else ${expr} end`;
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
