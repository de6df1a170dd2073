import { InputError } from '../errors.js';
import { ident, type Db } from '../warehouse/db.js';
import type { LoadSummary } from './load.js';
import { topRejects, type FileRejects } from './report.js';
import { rawTable } from './schema.js';
import type { SourceName } from './sources.js';
import { fmt } from '../format.js';

/**
 * Sources the scores cannot do without: the registry (who is registered) and the returns (what was
 * declared). Without one of their files a run does not publish fewer cases: it publishes wrong
 * ones (every seller looks undeclared, or none is a taxpayer), so it must not publish at all. The
 * observed sources (platforms, carriers, banks, websites) only add evidence: a file of theirs that
 * fails is a warning that the run publishes loudly (run.json `load_problems`, the headline, the
 * report's summary, `sangloc status` WARNING). A file whose every row was rejected failed too.
 */
export const requiredSources: readonly SourceName[] = ['taxpayers', 'declarations'];

/**
 * The first rule deciding whether a load may go on to scoring: every file of a required source that
 * this run tried to load could be read. Throws an InputError naming the files and why, after the
 * load (so every other file is in the warehouse and the next run reloads only the failed ones).
 * A file that was read but lost every row is a failed load too: `assertRequiredSources` stops on it
 * after the scoring check (whose message says more when no row of the source is left at all).
 *
 * @example assertRequiredSourcesLoaded(summary, 'deliveries/2026-11') // throws when declarations.csv "cannot be read"
 */
export function assertRequiredSourcesLoaded(load: LoadSummary, input: string): void {
  const failed = load.files.filter((f) => f.status === 'failed' && requiredSources.includes(f.source));
  if (failed.length === 0) return;
  const list = failed.map((f) => `${f.file} (${f.message ?? 'not loaded'})`).join('; ');
  throw new InputError(
    input,
    `${failed.length} file(s) of a source the scores need (${requiredSources.join(', ')}) could not be loaded, ` +
      `so nothing was published: ${list}. ` +
      'Fix them and run again; the files that did load are not loaded twice',
  );
}

/**
 * A registry or returns file whose every row was rejected, while rows of earlier deliveries keep the
 * source non-empty: the run would score on last delivery's registry or returns as if this one had not
 * come. Throws naming each file with its top reject reason and lines.
 */
async function assertNoRequiredFileRejected(db: Db, input: string, runId: string, load: LoadSummary): Promise<void> {
  const rejected = load.files.filter((f) => f.status === 'rejected' && requiredSources.includes(f.source));
  if (rejected.length === 0) return;
  const list = (await topRejects(db, runId, rejected, 1, 3)).map(fileDetail).join('; ');
  throw new InputError(
    input,
    `${rejected.length} file(s) of a source the scores need (${requiredSources.join(', ')}) lost every row to ` +
      `rejects, so nothing was published: ${list}. Fix them or the config (\`sangloc check --input ${input}\` ` +
      'shows what would load and the settings that fix it) and run again; the files that did load are not loaded twice',
  );
}

/** One file of a load for an error message: why it was not loaded, or its counts and top reject reason. */
function fileDetail(f: FileRejects): string {
  if (f.status === 'failed') return `${f.file} not loaded: ${f.message}`;
  const t = f.top[0];
  return (
    `${f.file}: ${fmt().int(f.read)} read, ${fmt().int(f.rejected)} ` +
    `rejected` +
    (t
      ? `, ${fmt().int(t.count)} × ${t.column ? `${t.column}: ` : ''}${t.reason} (lines ` +
        `${t.lines.join(', ')}${t.count > t.lines.length ? ', …' : ''})`
      : '')
  );
}

/**
 * Sources scoring cannot do without. With no registry or no declarations every seller would look
 * undeclared; with no channel of observed revenue none would. A run whose warehouse holds no row
 * of one of these (this delivery's files all rejected or failed, and none loaded before) stops.
 */
const requiredForScoring: { sources: SourceName[]; why: string }[] = [
  { sources: ['taxpayers'], why: 'scoring needs the taxpayer registry (who is registered, under which tax code)' },
  { sources: ['declarations'], why: 'scoring compares observed revenue with declared revenue' },
  {
    sources: ['platform_sellers', 'cod_shipments', 'bank_transactions'],
    why: 'scoring needs observed revenue from platform sellers, COD shipments or bank transactions',
  },
];

async function assertScoringSources(db: Db, input: string, runId: string, load: LoadSummary): Promise<void> {
  const problems: string[] = [];
  for (const need of requiredForScoring) {
    let rows = 0;
    for (const source of need.sources)
      rows += (await db.value<number>(`select count(*)::bigint from ${ident(rawTable(source))}`)) ?? 0;
    if (rows > 0) continue;
    const files = load.files.filter((f) => need.sources.includes(f.source));
    const detail =
      files.length === 0
        ? `no ${need.sources.join(' / ')} file in this delivery and none loaded before`
        : (await topRejects(db, runId, files, 1, 3)).map(fileDetail).join('; ');
    problems.push(`${need.sources.join(' / ')}: 0 rows loaded (${detail}); ${need.why}`);
  }
  if (problems.length) {
    throw new InputError(
      input,
      `${problems.join('; ')}. Fix the files or the config (\`sangloc check --input ${input}\` shows what would ` +
        `load and the settings that fix it) and run again`,
    );
  }
}

/**
 * The rules a load must pass before scoring, in order: no file of the registry or the returns
 * failed in this delivery, the warehouse holds rows of every source scoring needs, and no file of
 * the registry or the returns lost every row to rejects.
 *
 * @example await assertRequiredSources(db, 'deliveries/2026-11', runId, summary)
 */
export async function assertRequiredSources(db: Db, input: string, runId: string, load: LoadSummary): Promise<void> {
  assertRequiredSourcesLoaded(load, input);
  await assertScoringSources(db, input, runId, load);
  await assertNoRequiredFileRejected(db, input, runId, load);
}
