/**
 * docs/config.md, generated from the config schema (`npm run docs:config`); a test fails when the
 * committed file and the schema drift apart.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../paths.js';
import { configSchema, memoryLimitRange } from './index.js';
import { defaultOf, metaOf, typeLabel, unwrap } from './zod-tools.js';

/** Where the reference lives in the repository. */
export const configReferencePath = join(packageRoot, 'docs', 'config.md');

interface Row {
  path: string;
  type: string;
  default: string;
  meaning: string;
}

/** A default longer than this is shown in its own section below the table. */
const inlineDefaultMax = 40;

/**
 * The configuration reference as Markdown: every key with its path, type, default and meaning.
 *
 * @example writeFileSync(configReferencePath, configReference());
 */
export function configReference(): string {
  const rows: Row[] = [];
  const longDefaults: { path: string; json: string }[] = [];
  const visit = (schema: z.ZodType, path: string[]): void => {
    const u = unwrap(schema);
    const children: [string, z.ZodType][] =
      u instanceof z.ZodObject
        ? Object.entries(u.shape as Record<string, z.ZodType>)
        : u instanceof z.ZodRecord
          ? [[`<${metaOf(schema).keyName ?? 'key'}>`, u.def.valueType as z.ZodType]]
          : [];
    const inMap = u instanceof z.ZodRecord;
    for (const [key, child] of children) {
      const at = [...path, key].join('.');
      const byDefault = inMap ? '—' : defaultText(child, at, longDefaults);
      rows.push({ path: at, type: typeLabel(child), default: byDefault, meaning: metaOf(child).description ?? '' });
      visit(child, [...path, key]);
    }
  };
  visit(configSchema, []);

  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from the schema in engine/config/index.ts, engine/config/tax-rules.ts and',
    '     engine/ingest/options.ts by `npm run docs:config`; edit the schema, not this file. -->',
    '',
    '`sangloc run --config FILE` (also `train`, `stats`, `explain`, `outcomes`) reads a JSON object that',
    'overrides any default below; objects merge key by key, any other value replaces the default.',
    '`--mask-pii` and `--lang` override `output.maskPii` and `output.language`.',
    '',
    '```json',
    '{ "memoryLimit": "3GB", "threads": 2, "seed": 1,',
    '  "rank": { "capacity": 200, "controlShare": 0.03 },',
    '  "taxRules": { "2026": { "vatOnWholeRevenue": false } } }',
    '```',
    '',
    '- Every key is checked: a key that is not in this table is an error, with the nearest known key',
    '  (`rank.capasity: unknown key; did you mean "rank.capacity"?`), never silently ignored.',
    '- All problems of a config are reported at once, in one error naming the file and each key.',
    '- A run prints every setting that differs from its default on stderr, one line each:',
    '  `sangloc: config: rank.capacity = 200 (default 500)` (or `sangloc: config: defaults only`).',
    '- `<name>` in a path stands for a key you choose (a tax year, a province, a source, a column).',
    '- A tax year present in the defaults may be given in part; a new year needs every part',
    '  (`threshold`, both flags and the rates of all five activity groups).',
    `- \`memoryLimit\` is at least ${memoryLimitRange.minText}: below it DuckDB cannot read a delivery file.`,
    '',
    '| path | type | default | meaning |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${r.path}\` | \`${cell(r.type)}\` | ${cell(r.default)} | ${cell(r.meaning)} |`),
    '',
    ...longDefaults.flatMap((d) => [`## Default of \`${d.path}\``, '', '```json', d.json, '```', '']),
  ].join('\n');
}

function defaultText(schema: z.ZodType, path: string, longDefaults: { path: string; json: string }[]): string {
  const d = defaultOf(schema);
  if (!d.hasDefault) return d.optional ? 'not set' : 'required';
  const u = unwrap(schema);
  const empty = typeof d.value === 'object' && d.value !== null && Object.keys(d.value).length === 0;
  if (u instanceof z.ZodObject && empty) return 'its keys’ defaults';
  const json = JSON.stringify(d.value);
  if (json.length <= inlineDefaultMax) return `\`${json}\``;
  // One line per key keeps a table of years readable.
  const entries = Object.entries(d.value as Record<string, unknown>).map(
    ([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`,
  );
  longDefaults.push({ path, json: `{\n${entries.join(',\n')}\n}` });
  return `see [below](#default-of-${path.toLowerCase().replace(/[^a-z0-9]+/g, '-')})`;
}
