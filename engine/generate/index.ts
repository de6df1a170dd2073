/**
 * `generateWorld`: writes a synthetic delivery (every source of docs/contract.md as CSV), its
 * answer key (truth/) and a manifest, streaming person by person so memory stays flat.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { columnNames, sourceOfFile, type SourceName } from '../ingest/sources.js';
import { CHUNK_BYTES, CsvSink, csvField, csvLine } from './csv.js';
import { MAX_PERSONS, banks } from './identifiers.js';
import { carriers } from './parties.js';
import type { TaxLaw } from './tax.js';
import { World, type Emitter, type Row } from './world.js';
import { knobsActive, manifestKnobs, parseKnobs, type KnobsInput, type WorldKnobs } from './knobs.js';
import { fmt } from '../format.js';

/** Bumped whenever the same seed would give different files. */
export const GENERATOR_VERSION = '1.0.0';

export interface GenerateOptions {
  persons: number;
  seed: number;
  outDir: string;
  /** Default 2025. */
  taxYear?: number;
  /** Tax law by year, replacing the generator's own (generate/tax.ts). */
  taxRules?: Record<string, TaxLaw>;
  logger?: Logger;
  /** Progress line interval on stderr (default 3 s). */
  progressMs?: number;
  /** Patterns that make linking hard (engine/generate/knobs.ts), as JSON text or an object; default: all off. */
  knobs?: string | KnobsInput;
}

export interface GenerateSummary {
  generator: string;
  generator_version: string;
  persons: number;
  seed: number;
  tax_year: number;
  /** Data rows per file (header excluded), paths relative to the output folder. */
  files: Record<string, number>;
  /** Data rows per contract source (split files added up). */
  sources: Record<string, number>;
  /** Persons per compliance pattern. */
  patterns: Record<string, number>;
  /** The knobs, when any differs from its default (absent for a plain world). */
  knobs?: Partial<WorldKnobs>;
}

const truthFiles = ['truth/persons.csv', 'truth/records.csv'];

/**
 * Generates a world of `persons` people into `outDir`.
 *
 * @example await generateWorld({ persons: 500, seed: 42, outDir: 'data-samples' }) // → manifest summary
 */
export async function generateWorld(options: GenerateOptions): Promise<GenerateSummary> {
  const { persons, seed, outDir } = options;
  const taxYear = options.taxYear ?? 2025;
  const log = options.logger ?? silentLogger();
  if (!Number.isInteger(persons) || persons < 1 || persons > MAX_PERSONS)
    throw new UsageError(`--persons must be an integer from 1 to ${MAX_PERSONS}, got ${persons}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got ${seed}`);
  if (!Number.isInteger(taxYear) || taxYear < 2022 || taxYear > 2030)
    throw new UsageError(`--tax-year must be between 2022 and 2030, got ${taxYear}`);
  const knobs = parseKnobs(options.knobs);
  prepareOutDir(outDir);

  const sinks = new Map<string, CsvSink>();
  const open = (file: string, header: readonly string[]) => {
    const sink = new CsvSink(join(outDir, file), header);
    sinks.set(file, sink);
    return sink;
  };
  const taxpayers = open('taxpayers.csv', columnNames('taxpayers'));
  const declarations = open('declarations.csv', columnNames('declarations'));
  const platformSellers = open('platform_sellers.csv', columnNames('platform_sellers'));
  const websites = open('websites.csv', columnNames('websites'));
  const cod = new Map(carriers.map((c) => [c.code, open(`cod_shipments_${c.code}.csv`, columnNames('cod_shipments'))]));
  const bank = new Map(
    banks.map((b) => [b.code, open(`bank_transactions_${b.code.toLowerCase()}.csv`, columnNames('bank_transactions'))]),
  );
  const outcomes = open('outcomes.csv', columnNames('outcomes'));
  const persons_ = open('truth/persons.csv', [
    'person_id',
    'undeclared',
    'true_revenue',
    'true_tax_due',
    'pattern',
    'activity_group',
  ]);
  const records = open('truth/records.csv', ['source', 'record_key', 'person_id']);

  const col = (s: SourceName, c: string) => columnNames(s).indexOf(c);
  const ps = {
    platform: col('platform_sellers', 'platform'),
    shop: col('platform_sellers', 'shop_id'),
    period: col('platform_sellers', 'period'),
  };
  const cs = { carrier: col('cod_shipments', 'carrier'), waybill: col('cod_shipments', 'waybill') };
  const bs = { bank: col('bank_transactions', 'bank'), txn: col('bank_transactions', 'txn_id') };
  const truthRecord = (source: SourceName, key: string, pid: string) =>
    records.add(`${source},${csvField(key)},${pid}`);

  const emitter: Emitter = {
    taxpayer(row: Row, pid: string) {
      taxpayers.add(csvLine(row));
      truthRecord('taxpayers', String(row[0]), pid);
    },
    declaration(row: Row) {
      declarations.add(csvLine(row));
    },
    platformSeller(row: Row, pid: string) {
      platformSellers.add(csvLine(row));
      truthRecord('platform_sellers', `${row[ps.platform]}:${row[ps.shop]}:${row[ps.period]}`, pid);
    },
    website(row: Row, domainKey: string, pid: string) {
      websites.add(csvLine(row));
      truthRecord('websites', domainKey, pid);
    },
    cod(carrier: string, row: Row, pid: string) {
      cod.get(carrier)!.add(csvLine(row));
      truthRecord('cod_shipments', `${row[cs.carrier]}:${row[cs.waybill]}`, pid);
    },
    bank(code: string, row: Row, pid: string) {
      bank.get(code)!.add(csvLine(row));
      truthRecord('bank_transactions', `${row[bs.bank]}:${row[bs.txn]}`, pid);
    },
    outcome(row: Row) {
      outcomes.add(csvLine(row));
    },
    person(row: Row) {
      persons_.add(csvLine(row));
    },
  };

  const world = new World({ seed, persons, taxYear, taxRules: options.taxRules, knobs }, emitter);
  const all = [...sinks.values()];
  const rowsSoFar = () => all.reduce((n, s) => n + (s === records || s === persons_ ? 0 : s.rows), 0);
  const progressMs = options.progressMs ?? 3000;
  const started = performance.now();
  let lastReport = started;
  log.info(`generate: ${persons} persons, seed ${seed}, tax year ${taxYear} → ${outDir}`);
  for (let i = 0; i < persons; i++) {
    world.generatePerson(i);
    if ((i & 31) === 31 || i === persons - 1) {
      for (const s of all) await s.flush(CHUNK_BYTES);
      const now = performance.now();
      if (now - lastReport >= progressMs) {
        lastReport = now;
        log.info(`generate: ${i + 1}/${persons} persons, ${rowsSoFar()} rows written`);
      }
    }
  }
  for (const s of all) await s.close();

  const files: Record<string, number> = {};
  const sources: Record<string, number> = {};
  for (const [file, s] of [...sinks.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    files[file] = s.rows;
    const src = file.startsWith('truth/') ? undefined : sourceOfFile(file);
    if (src) sources[src] = (sources[src] ?? 0) + s.rows;
  }
  const patterns = Object.fromEntries(Object.entries(world.patternCounts).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const summary: GenerateSummary = {
    generator: 'sangloc generate',
    generator_version: GENERATOR_VERSION,
    persons,
    seed,
    tax_year: taxYear,
    files,
    sources,
    patterns,
  };
  if (knobsActive(knobs)) summary.knobs = manifestKnobs(knobs);
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(summary, null, 2) + '\n');
  log.info(`generate: done, ${rowsSoFar()} rows in ${fmt().ms(performance.now() - started)}`);
  return summary;
}

/**
 * Makes the output folder ready: creates it, and clears files of an earlier generated world
 * (source CSVs, truth/, manifest.json). A folder holding a delivery that this generator did not
 * write (no manifest.json) is refused rather than overwritten.
 */
function prepareOutDir(outDir: string): void {
  mkdirSync(join(outDir, 'truth'), { recursive: true });
  const entries = readdirSync(outDir);
  const deliveryFiles = entries.filter((f) => sourceOfFile(f) !== undefined);
  const generated = existsSync(join(outDir, 'manifest.json'));
  if (deliveryFiles.length > 0 && !generated) {
    throw new UsageError(
      `${outDir} already holds delivery files (${deliveryFiles[0]} …) not written by sangloc generate; choose ` +
        `an empty or new folder`,
    );
  }
  for (const f of deliveryFiles) rmSync(join(outDir, f));
  for (const f of truthFiles) rmSync(join(outDir, f), { force: true });
  rmSync(join(outDir, 'manifest.json'), { force: true });
}

export { World } from './world.js';
export { defaultKnobs, parseKnobs, type KnobsInput, type WorldKnobs } from './knobs.js';
