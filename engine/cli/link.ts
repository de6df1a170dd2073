import { UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { checkLinkFiles, linkFiles, readLinkSpec, type LinkFileList } from '../resolve/link-files.js';
import { optionalInt, requireString, type Command } from './command.js';

const options = {
  spec: { type: 'string', short: 's' },
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** `sangloc link`: dedupe one CSV or link two with a JSON link spec. */
export const command: Command<typeof options> = {
  name: 'link',
  summary: 'dedupe one CSV file or link two with a link spec (scored pairs, clusters, weights)',
  usage: 'link --spec SPEC.json A.csv [B.csv] --out DIR [--seed S]',
  help: [
    '--spec, -s FILE   link spec (JSON): fields, comparisons, blocking, threshold, clustering (docs/linking.md)',
    'A.csv [B.csv]     one file: find duplicates within it; two files: link records of A with records of B only',
    '--out, -o DIR     writes DIR/pairs.csv (links at or above the threshold, with every weight part),',
    '                  DIR/clusters.csv (every record and its cluster, named after its first record: id, or file:id',
    '                  when linking two files) and DIR/weights.json (m/u and weight per level, prior, EM sessions)',
    '--seed S          seed of the random pairs used to estimate u (default 1)',
    '--quiet, -q       no progress on stderr',
  ],
  example: 'sangloc link --spec examples/link/spec.json examples/link/shops.csv examples/link/registry.csv --out out/link',
  options,
  positionals: true,
  async run(args) {
    const specPath = requireString(command, args, 'spec');
    const outDir = requireString(command, args, 'out');
    const seed = optionalInt(args, 'seed', 0, 2 ** 31 - 1) ?? 1;
    const [first, second, ...more] = args.positionals;
    if (first === undefined || more.length > 0) {
      throw new UsageError(`link: give one CSV file (dedupe) or two (link), got ${args.positionals.length}. See \`sangloc link --help\`.`);
    }
    const files: LinkFileList = second === undefined ? [first] : [first, second];
    checkLinkFiles(files);
    const spec = readLinkSpec(specPath);
    const log = createLogger({ quiet: args.values.quiet === true });
    const result = await linkFiles({ files, spec, specSource: specPath, outDir, seed, log });
    log.info(
      `link: ${result.records} records, ${result.candidatePairs} candidate pairs, ${result.links} links (${result.keptLinks} kept, ` +
        `${result.weakLinks} weak, ${result.bridgesCut} bridges cut), ${result.multiRecordClusters} clusters of 2+ records; wrote ${outDir}`,
    );
    return 0;
  },
};
