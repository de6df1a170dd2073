import { InputError } from '../errors.js';
import type { LoadSummary } from './load.js';
import type { SourceName } from './sources.js';

/**
 * Sources the scores cannot do without: the registry (who is registered) and the returns (what was
 * declared). Without one of their files a run does not publish fewer cases: it publishes wrong
 * ones (every seller looks undeclared, or none is a taxpayer), so it must not publish at all. The
 * observed sources (platforms, carriers, banks, websites) only add evidence: a file of theirs that
 * fails is a warning and a reject row.
 */
export const requiredSources: readonly SourceName[] = ['taxpayers', 'declarations'];

/**
 * The one rule deciding whether a load may go on to scoring: every file of a required source that
 * this run tried to load was loaded. Throws an InputError naming the files and why, after the
 * load (so every other file is in the warehouse and the next run reloads only the failed ones).
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
