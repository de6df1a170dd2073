import { optionalInt, requireInt, requireString, type Command } from './command.js';
import { createLogger } from '../log.js';
import { generateWorld } from '../generate/index.js';
import { MAX_PERSONS } from '../generate/identifiers.js';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { fmt } from '../format.js';

function readKnobsFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--knobs ${file}: cannot read the file ` +
        `(${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pass JSON text or a readable .json file`,
    );
  }
}

/** `sangloc generate`: writes a synthetic delivery with its answer key. */
export const command: Command = {
  name: 'generate',
  summary: 'write a synthetic world: a delivery to the input contract plus its truth',
  usage: 'generate --persons N --seed S --out DIR [--tax-year Y] [--knobs JSON|FILE]',
  help: [
    `--persons N    people in the world (1–${MAX_PERSONS}); about 75 rows per person`,
    '--seed S       whole number; the same seed gives byte-identical files',
    '--out DIR      output folder (created; an earlier generated world there is replaced)',
    '--tax-year Y   tax year of the data (default 2025); returns also cover Y − 1',
    '--knobs JSON   patterns that make linking hard, as JSON text or a .json file (docs/generate-knobs.md);',
    '               e.g. \'{"fulfilment":{"share":0.3},"typo":0.02}\'; default: all off',
    '--quiet        no progress on stderr',
  ],
  example: 'sangloc generate --persons 5000 --seed 42 --out /tmp/world',
  options: {
    persons: { type: 'string', short: 'n' },
    seed: { type: 'string', short: 's' },
    out: { type: 'string', short: 'o' },
    'tax-year': { type: 'string' },
    knobs: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run(args) {
    const outDir = requireString(command, args, 'out');
    const persons = requireInt(command, args, 'persons', 1, MAX_PERSONS);
    const seed = requireInt(command, args, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const taxYear = optionalInt(args, 'tax-year', 2022, 2030) ?? 2025;
    const logger = createLogger({ quiet: args.values.quiet === true });
    const knobsArg = typeof args.values.knobs === 'string' ? args.values.knobs : undefined;
    const knobs =
      knobsArg === undefined ? undefined : knobsArg.trim().startsWith('{') ? knobsArg : readKnobsFile(knobsArg);
    const summary = await generateWorld({ persons, seed, outDir, taxYear, logger, knobs });
    const rows = Object.values(summary.sources).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `${outDir}: ${fmt().int(persons)} persons, ${fmt().int(rows)} rows in ` +
        `${Object.keys(summary.files).length} files (seed ${seed}, tax year ${taxYear})\n`,
    );
    return 0;
  },
};
