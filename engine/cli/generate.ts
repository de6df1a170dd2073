import { optionalInt, requireInt, requireString, type Command } from './command.js';
import { createLogger } from '../log.js';
import { generateWorld } from '../generate/index.js';
import { MAX_PERSONS } from '../generate/identifiers.js';

/** `sangloc generate`: writes a synthetic delivery with its answer key. */
export const command: Command = {
  name: 'generate',
  summary: 'write a synthetic world: a delivery to the input contract plus its truth',
  usage: 'generate --persons N --seed S --out DIR [--tax-year Y]',
  help: [
    `--persons N    people in the world (1–${MAX_PERSONS}); about 75 rows per person`,
    '--seed S       whole number; the same seed gives byte-identical files',
    '--out DIR      output folder (created; an earlier generated world there is replaced)',
    '--tax-year Y   tax year of the data (default 2025); returns also cover Y − 1',
    '--quiet        no progress on stderr',
  ],
  example: 'sangloc generate --persons 5000 --seed 42 --out /tmp/world',
  options: {
    persons: { type: 'string', short: 'n' },
    seed: { type: 'string', short: 's' },
    out: { type: 'string', short: 'o' },
    'tax-year': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run(args) {
    const outDir = requireString(command, args, 'out');
    const persons = requireInt(command, args, 'persons', 1, MAX_PERSONS);
    const seed = requireInt(command, args, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const taxYear = optionalInt(args, 'tax-year', 2022, 2030) ?? 2025;
    const logger = createLogger({ quiet: args.values.quiet === true });
    const summary = await generateWorld({ persons, seed, outDir, taxYear, logger });
    const rows = Object.values(summary.sources).reduce((a, b) => a + b, 0);
    process.stdout.write(`${outDir}: ${persons} persons, ${rows} rows in ${Object.keys(summary.files).length} files (seed ${seed}, tax year ${taxYear})\n`);
    return 0;
  },
};
