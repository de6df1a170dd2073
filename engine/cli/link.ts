import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError, InputError, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { linkRecords } from '../resolve/link.js';
import { normalizeLinkSpec } from '../resolve/spec.js';
import { tfLevels } from '../resolve/sql.js';
import { neutraliseFormulaSql } from '../publish/cells.js';
import { ident, literal, openDb } from '../warehouse/db.js';
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
    const files = args.positionals;
    if (files.length < 1 || files.length > 2) throw new UsageError(`link: give one CSV file (dedupe) or two (link), got ${files.length}. See \`sangloc link --help\`.`);
    for (const f of files) if (!existsSync(f)) throw new InputError(f, 'file not found');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(specPath, 'utf8'));
    } catch (err) {
      throw new ConfigError(specPath, [existsSync(specPath) ? `not valid JSON (${(err as Error).message})` : 'cannot read the file; check the path given to --spec']);
    }
    const spec = normalizeLinkSpec(raw, specPath);
    const log = createLogger({ quiet: args.values.quiet === true });
    const db = await openDb(':memory:');
    try {
      // Each file keeps its own row numbers (1-based line of data) as the default id.
      for (const [i, f] of files.entries()) {
        try {
          await db.exec(`create table ${ident(`file${i}`)} as select * from read_csv(${literal(f)}, all_varchar = true, header = true)`);
        } catch (err) {
          throw new InputError(f, `cannot read as CSV: ${(err as Error).message.split('\n')[0]}`);
        }
      }
      const idExpr = spec.unique_id ? ident(spec.unique_id) : '(rowid + 1)::varchar';
      if (spec.unique_id) {
        for (const [i, f] of files.entries()) {
          const cols = (await db.all<{ column_name: string }>(`describe ${ident(`file${i}`)}`)).map((r) => r.column_name);
          if (!cols.includes(spec.unique_id)) throw new ConfigError(specPath, [`unique_id: ${basename(f)} has no column "${spec.unique_id}"`]);
        }
      }
      const parts = files.map((_, i) => `select ${i}::tinyint as _dataset, ${idExpr} as _id, rowid as _row, * from ${ident(`file${i}`)}`);
      await db.exec(`create table link_input as
        select (row_number() over (order by _dataset, _row) - 1)::bigint as _record_id, *
        from (${parts.join(' union all by name ')})`);
      const result = await linkRecords(db, {
        input: 'link_input',
        idColumn: '_record_id',
        datasetColumn: files.length === 2 ? '_dataset' : undefined,
        spec,
        seed,
        log,
        tables: { links: 'link_links', clusters: 'link_clusters' },
      });

      mkdirSync(outDir, { recursive: true });
      const partNames = ['prior'];
      for (const c of spec.comparisons) {
        partNames.push(c.name);
        if (tfLevels(c).length) partNames.push(`${c.name}_tf`);
        if (c.degree_guard) partNames.push(`${c.name}_guard`);
      }
      const partCols = partNames.map((p) => `(l.parts ->> ${literal(p)})::double as ${ident(p)}`);
      const names = files.map((f) => basename(f));
      // Spreadsheet-facing: file names and the input's own ids are formula-neutralised.
      const rawFileName = (alias: string) => `[${names.map((n) => literal(n)).join(', ')}][${alias}._dataset + 1]`;
      const fileName = (alias: string) => neutraliseFormulaSql(rawFileName(alias));
      const id = (alias: string) => neutraliseFormulaSql(`${alias}._id`);
      await db.exec(`copy (
        select ${fileName('la')} as left_file, ${id('la')} as left_id, ${fileName('rb')} as right_file, ${id('rb')} as right_id,
               l.match_weight, l.match_probability, l.confidence, l.kept, l.cut_reason, ${partCols.join(', ')}
        from link_links l
        join link_input la on la._record_id = l.record_a
        join link_input rb on rb._record_id = l.record_b
        order by l.match_weight desc, l.record_a, l.record_b
      ) to ${literal(join(outDir, 'pairs.csv'))} (header, delimiter ',')`);
      await db.exec(`copy (
        select ${fileName('i')} as file, ${id('i')} as id,
               ${neutraliseFormulaSql(files.length === 2 ? `${rawFileName('ci')} || ':' || ci._id` : 'ci._id')} as cluster_id,
               count(*) over (partition by c.cluster_id) as cluster_size
        from link_clusters c
        join link_input i on i._record_id = c.record_id
        join link_input ci on ci._record_id = c.cluster_id
        order by c.cluster_id, c.record_id
      ) to ${literal(join(outDir, 'clusters.csv'))} (header, delimiter ',')`);
      writeFileSync(join(outDir, 'weights.json'), JSON.stringify(result.weights, null, 2) + '\n');
      log.info(
        `link: ${result.records} records, ${result.candidatePairs} candidate pairs, ${result.links} links (${result.keptLinks} kept, ` +
          `${result.weakLinks} weak, ${result.bridgesCut} bridges cut), ${result.multiRecordClusters} clusters of 2+ records; wrote ${outDir}`,
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
