import { UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { checkLinkFiles, linkFiles, readLinkSpec, type LinkFileList } from '../resolve/link-files.js';
import { openExistingWorkspace } from '../publish/run-ref.js';
import { auditCommand } from './audit.js';
import { optionalInt, requireString, type Command } from './command.js';
import { fmt } from '../format.js';

const options = {
  spec: { type: 'string', short: 's' },
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  labels: { type: 'string', short: 'l' },
  'm-from-labels': { type: 'boolean' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  workspace: { type: 'string', short: 'w' },
} as const;

/** `sangloc link`: dedupe one CSV or link two with a JSON link spec. */
export const command: Command<typeof options> = {
  name: 'link',
  summary: 'dedupe one CSV file or link two with a link spec (scored pairs, clusters, weights)',
  usage:
    'link --spec SPEC.json A.csv [B.csv] --out DIR [--labels LABELS.csv [--m-from-labels]] [--encoding ENC] ' +
    '[--delimiter D] [--seed S]',
  help: [
    '--spec, -s FILE   link spec (JSON): fields, comparisons, blocking, threshold, clustering (docs/linking.md)',
    'A.csv [B.csv]     one file: find duplicates within it; two files: link records of A with records of B only',
    '--out, -o DIR     writes DIR/pairs.csv (links at or above the threshold, with every weight part),',
    '                  DIR/clusters.csv (every record and its cluster, named after its first record: id, or file:id',
    '                  when linking two files) and DIR/weights.json (m/u and weight per level, prior, EM sessions)',
    '                  and DIR/link-report.html (level weights, sample waterfalls, cluster sizes; with --labels also',
    '                  the precision-recall curve and the threshold sweep); self-contained, opens offline',
    "--labels, -l FILE labelled pairs (left_id,right_id,match with 0/1; or Splink's unique_id_l,unique_id_r,",
    '                  clerical_match_score) or known entities (id,cluster): prints precision, recall and F1 at the',
    '                  threshold and a sweep over thresholds',
    '--m-from-labels   m of every level counted on the labelled matches instead of estimated by EM',
    '--encoding ENC    text encoding of the files when not UTF-8 (windows-1258, latin1, utf-16le…)',
    '--delimiter D     field delimiter (default: sniffed)',
    '--seed S          seed of the random pairs used to estimate u (default 1)',
    '--quiet, -q       no progress on stderr',
    "--workspace WS    record the link in WS/audit.log (default: the reader's own audit log,",
    '                  $XDG_STATE_HOME/sangloc/audit.log or SANGLOC_AUDIT_FALLBACK): who linked what, when, counts',
  ],
  example:
    'sangloc link --spec examples/link/spec.json examples/link/shops.csv examples/link/registry.csv --out out/link',
  options,
  positionals: true,
  async run(args) {
    const specPath = requireString(command, args, 'spec');
    const outDir = requireString(command, args, 'out');
    const seed = optionalInt(args, 'seed', 0, 2 ** 31 - 1) ?? 1;
    const [first, second, ...more] = args.positionals;
    if (first === undefined || more.length > 0) {
      throw new UsageError(
        `link: give one CSV file (dedupe) or two (link), got ${args.positionals.length}. See \`sangloc link --help\`.`,
      );
    }
    const files: LinkFileList = second === undefined ? [first] : [first, second];
    checkLinkFiles(files);
    const spec = readLinkSpec(specPath);
    const ws = typeof args.values.workspace === 'string' ? openExistingWorkspace(args.values.workspace) : null;
    const log = createLogger({ quiet: args.values.quiet === true });
    const labels = typeof args.values.labels === 'string' ? args.values.labels : undefined;
    const read = {
      ...(typeof args.values.encoding === 'string' ? { encoding: args.values.encoding } : {}),
      ...(typeof args.values.delimiter === 'string' ? { delimiter: args.values.delimiter.replace('\\t', '\t') } : {}),
    };
    const mFromLabels = args.values['m-from-labels'] === true;
    const result = await linkFiles({ files, spec, specSource: specPath, outDir, seed, log, labels, read, mFromLabels });
    log.info(
      `link: ${result.records} records, ${result.candidatePairs} candidate pairs, ${result.links} links ` +
        `(${result.keptLinks} kept, ` +
        `${result.weakLinks} weak, ${result.bridgesCut} bridges ` +
        `cut${result.oneToOneRefused ? `, ${result.oneToOneRefused} refused one-to-one` : ''}), ` +
        `${result.multiRecordClusters} clusters of 2+ ` +
        `records${result.warnings.length ? `, ${result.warnings.length} warning(s)` : ''}; wrote ${outDir}`,
    );
    // The files linked are the operator's, not a workspace's: without --workspace the reader's own audit log.
    auditCommand(ws, 'link', args, {
      rows: {
        records: result.records,
        candidate_pairs: result.candidatePairs,
        links: result.links,
        clusters: result.multiRecordClusters,
      },
      detail: `${files.length} file(s) linked; pairs and clusters written to a folder`,
    });
    const q = result.quality;
    if (q && result.sweepTable) {
      const f = (x: number) => fmt().dec(x, 4);
      const lines = [
        `labels: ${q.records} records, ${q.positives} true pairs (${q.positivesNotBlocked} not brought by any ` +
          `blocking rule)`,
        `  pairs at the threshold (${fmt().dec(result.quality!.atThreshold.weight, 2)} bits): ` +
          `precision ${f(q.atThreshold.precision)}, recall ${f(q.atThreshold.recall)}, F1 ${f(q.atThreshold.f1)}`,
        `  clusters:                      precision ${f(q.clustered.precision)}, ` +
          `recall ${f(q.clustered.recall)}, F1 ${f(q.clustered.f1)}`,
        `  best F1 ${f(q.best.f1)} at match weight ${fmt().dec(q.best.weight, 2)} ` +
          `(probability ${fmt().num(q.best.probability, 4)})`,
        '  sweep:  probability   weight  predicted  precision  recall      F1',
        ...result.sweepTable.map(
          (p) =>
            `         ${fmt().dec(p.probability, 4).padStart(10)} ${fmt().dec(p.weight, 2).padStart(8)} ` +
            `${String(p.predicted).padStart(10)}    ${f(p.precision)}  ${f(p.recall)}  ${f(p.f1)}`,
        ),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  },
};
