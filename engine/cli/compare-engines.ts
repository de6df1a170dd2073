import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { UsageError } from '../errors.js';
import { createLogger, formatMs } from '../log.js';
import { runBatch } from '../run.js';
import { compareRunFile, comparedFiles } from '../spark/compare.js';
import { optionalInt, requireString, type Command } from './command.js';

export const command: Command = {
  name: 'compare-engines',
  summary: 'run one delivery on DuckDB and on Spark and compare the published files byte for byte',
  usage: 'compare-engines --input DIR [--spark-master URL] [--config FILE] [--tax-year Y] [--keep DIR]',
  help: [
    '--input DIR        delivery folder (as for sangloc run)',
    '--spark-master URL Spark master for the Spark run (default: the config, local[2])',
    '--config FILE      JSON config for both runs (engine.name is set per run)',
    '--tax-year Y       tax year to screen in both runs',
    '--keep DIR         keep the two workspaces in DIR/duckdb and DIR/spark (default: a temporary folder, removed)',
    '--quiet            no progress on stderr',
  ],
  example: 'sangloc compare-engines --input data-samples --spark-master local[2]',
  options: {
    input: { type: 'string', short: 'i' },
    config: { type: 'string', short: 'c' },
    'spark-master': { type: 'string' },
    'tax-year': { type: 'string' },
    keep: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run(args) {
    const input = requireString(this, args, 'input');
    const taxYear = optionalInt(args, 'tax-year', 2000, 2100);
    const master = args.values['spark-master'] as string | undefined;
    if (master === '') throw new UsageError('compare-engines: --spark-master needs a URL');
    const keep = args.values.keep as string | undefined;
    const root = keep ?? mkdtempSync(join(tmpdir(), 'sangloc-compare-'));
    const log = createLogger({ quiet: Boolean(args.values.quiet) });
    const file = args.values.config as string | undefined;
    try {
      const dirs: string[] = [];
      for (const name of ['duckdb', 'spark'] as const) {
        const config = loadConfig(file, {
          engine: { name, ...(name === 'spark' && master ? { sparkMaster: master } : {}) },
        });
        const started = performance.now();
        const result = await runBatch({ input, workspace: join(root, name), config, taxYear, log });
        process.stdout.write(
          `${name}: ${result.cases.toLocaleString('en')} cases, ${result.entities.toLocaleString('en')} entities ` +
            `in ${formatMs(performance.now() - started)}\n`,
        );
        dirs.push(result.runDir);
      }
      let same = true;
      for (const f of comparedFiles) {
        const c = compareRunFile(dirs[0]!, dirs[1]!, f);
        same &&= c.identical;
        process.stdout.write(
          c.identical
            ? `${f}: identical (${c.lines[0].toLocaleString('en')} lines)\n`
            : `${f}: DIFFERENT (${c.lines[0]} vs ${c.lines[1]} lines); first at line ${c.firstDifference?.line}, ` +
                `column(s) ${c.firstDifference?.columns.join(', ')}\n`,
        );
      }
      process.stdout.write(same ? 'same answer on both engines\n' : 'the engines disagree\n');
      return same ? 0 : 1;
    } finally {
      if (!keep) rmSync(root, { recursive: true, force: true });
    }
  },
};
