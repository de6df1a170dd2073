/**
 * `evaluateRun`: scores a published run against the synthetic truth of the delivery it came
 * from. Everything heavy (members × truth records) stays in an in-memory DuckDB; only the top of
 * the case list and a few sums come back to JavaScript.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { openDb, type Db } from '../warehouse/db.js';
import { mapAuditedPersons, normalizeMacros, type AuditedSummary } from './audited.js';
import { pairwiseFromCounts, rankingAtK, type PairwiseScores, type RankedCase, type RankingAtK } from './metrics.js';
import { col, deliveryFiles, openRelation, requireColumns, requireFile, requireFolder, resolveRunDir } from './read.js';

/** Sources that carry a seller's identity (as opposed to transactions). */
export const identitySources = ['taxpayers', 'platform_sellers', 'websites'] as const;

export const defaultKs = [50, 100, 200] as const;

export interface EvaluateOptions {
  /** The delivery's `truth/` folder. */
  truthDir: string;
  /** `WS/runs/<id>`, `WS/latest` (symlink or file holding the run id) or `WS`. */
  runDir: string;
  /** The delivery folder holding outcomes*.csv; default: parent of `truthDir`. */
  inputDir?: string;
  /** Cut-offs for precision@K and yield@K; default 50, 100, 200. */
  ks?: readonly number[];
  logger?: Logger;
}

/** Everything `sangloc evaluate` measures; written as JSON as is. */
export interface Evaluation {
  truthDir: string;
  /** The run folder after following `latest`. */
  runDir: string;
  inputDir: string;
  counts: {
    persons: number;
    undeclaredPersons: number;
    truthRecords: number;
    cases: number;
    /** Rows of members.csv. */
    memberRows: number;
    /** members.csv records that are not in the truth (not judged). */
    memberRecordsNotInTruth: number;
    /** Truth records absent from members.csv: unlinked singletons. */
    truthRecordsNotInMembers: number;
    /** Records listed under more than one entity (the smallest entity_id is kept). */
    recordsInSeveralEntities: number;
    /** Cases whose entity holds no truth record. */
    casesWithoutPerson: number;
  };
  audited: AuditedSummary;
  ranking: {
    /** Truth persons not named in outcomes: the population the list is judged on. */
    eligiblePersons: number;
    eligibleUndeclared: number;
    /** Σ true_tax_due of undeclared persons not in outcomes: the yield denominator. */
    undeclaredTaxDueVnd: number;
    /** Share of undeclared among eligible persons: precision of a random list. */
    baseRate: number | null;
    atK: RankingAtK[];
  };
  entities: {
    all: PairwiseScores & { sources: 'all' };
    identity: PairwiseScores & { sources: string[] };
  };
  notes: string[];
}

/**
 * Measures a run against synthetic truth: precision@K and yield@K over persons not named in
 * outcomes (with the ceiling of a perfect list), and pairwise entity precision / recall / F1.
 *
 * @example
 *   const e = await evaluateRun({ truthDir: 'gen/truth', runDir: 'ws/latest', ks: [50, 100] });
 *   e.ranking.atK[0].precision; // share of the top 50 that are undeclared persons
 */
export async function evaluateRun(options: EvaluateOptions): Promise<Evaluation> {
  const log = options.logger ?? silentLogger();
  const truthDir = resolve(requireFolder(options.truthDir, 'truth'));
  const runDir = resolve(requireFolder(resolveRunDir(options.runDir), 'run'));
  const inputDir = resolve(requireFolder(options.inputDir ?? dirname(truthDir), 'input (delivery)'));
  const ks = normaliseKs(options.ks ?? defaultKs);
  const files = {
    persons: requireFile(join(truthDir, 'persons.csv'), 'truth persons.csv'),
    records: requireFile(join(truthDir, 'records.csv'), 'truth records.csv'),
    cases: requireFile(join(runDir, 'cases.csv'), 'run cases.csv'),
    members: requireFile(join(runDir, 'members.csv'), 'run members.csv'),
  };

  // An in-memory database still spills big joins to disk: keep that in a private temp folder.
  const spill = mkdtempSync(join(tmpdir(), 'sangloc-evaluate-'));
  let db: Db | undefined;
  try {
    db = await openDb(':memory:', { tempDirectory: spill });
    return await measure(db, { truthDir, runDir, inputDir, ks, files, log });
  } finally {
    db?.close();
    rmSync(spill, { recursive: true, force: true });
  }
}

async function measure(
  db: Db,
  o: {
    truthDir: string;
    runDir: string;
    inputDir: string;
    ks: number[];
    files: Parameters<typeof loadTables>[1];
    log: Logger;
  },
): Promise<Evaluation> {
  const { truthDir, runDir, inputDir, ks, files, log } = o;
  await db.exec(normalizeMacros);
  await log.stage('evaluate: load truth and run', () => loadTables(db, files));
  const audited = await log.stage('evaluate: map outcomes to persons', () =>
    mapAuditedPersons(db, deliveryFiles(inputDir)),
  );
  const counts = await log.stage('evaluate: link members to truth', () => linkMembers(db));
  const ranking = await log.stage('evaluate: score the case list', () => scoreRanking(db, ks));
  const entities = await log.stage('evaluate: pairwise entity scores', async () => ({
    all: { sources: 'all' as const, ...(await pairwise(db, false)) },
    identity: { sources: [...identitySources], ...(await pairwise(db, true)) },
  }));
  const notes = [
    'Cases whose person is named in outcomes are skipped; the next case takes the place, so K cases are counted.',
    'A person counts once: a later case of the same person is a miss (duplicate); a case with no truth record ' +
      'is a miss (unmapped).',
    'Truth records missing from members.csv count as unlinked singletons.',
  ];
  if (audited.outcomeFiles.length === 0) notes.push('No outcomes files in the input folder: no case was skipped.');
  return { truthDir, runDir, inputDir, counts, audited, ranking, entities, notes };
}

/**
 * Writes an evaluation as pretty JSON.
 *
 * @example
 *   saveEvaluation(e, join(e.runDir, 'evaluation.json'));
 */
export function saveEvaluation(evaluation: Evaluation, file: string): void {
  try {
    writeFileSync(file, JSON.stringify(evaluation, null, 2) + '\n');
  } catch (err) {
    throw new InputError(
      file,
      `cannot write the evaluation (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check ` +
        `that the folder exists.`,
    );
  }
}

function normaliseKs(ks: readonly number[]): number[] {
  const bad = ks.find((k) => !Number.isInteger(k) || k < 1);
  if (bad !== undefined || ks.length === 0)
    throw new UsageError(`K values must be positive integers, got "${ks.join(',')}".`);
  return [...new Set(ks)].sort((a, b) => a - b);
}

async function loadTables(
  db: Db,
  files: { persons: string; records: string; cases: string; members: string },
): Promise<void> {
  const persons = await openRelation(db, [files.persons]);
  requireColumns(persons, ['person_id', 'undeclared', 'true_tax_due']);
  const records = await openRelation(db, [files.records]);
  requireColumns(records, ['source', 'record_key', 'person_id']);
  const cases = await openRelation(db, [files.cases]);
  requireColumns(cases, ['rank', 'entity_id']);
  const members = await openRelation(db, [files.members]);
  requireColumns(members, ['entity_id', 'source', 'record_key']);
  await db.exec(`
    create table persons as
    select person_id, any_value(undeclared) as undeclared, any_value(true_tax_due) as true_tax_due from (
      select trim(person_id) as person_id,
        lower(trim(coalesce(undeclared, ''))) in ('1', 'true', 'yes', 'y') as undeclared,
        coalesce(try_cast(trim(true_tax_due) as double), 0) as true_tax_due
      from ${persons.sql} where person_id is not null)
    group by person_id;
    create table truth as
    select lower(trim(source)) as source, record_key, trim(person_id) as person_id
    from ${records.sql} where record_key is not null and person_id is not null;
    create table cases as
    select try_cast(trim(rank) as double) as rank, entity_id,
      coalesce(lower(trim(${col(cases, 'control_slice')})), '') not in ('', '0', 'false', 'no', 'n') as control
    from ${cases.sql} where entity_id is not null;
    create table members as
    select lower(trim(source)) as source, record_key, min(entity_id) as entity_id,
      count(distinct entity_id) as n_entities, count(*) as n_rows
    from ${members.sql} where record_key is not null and entity_id is not null
    group by all;
  `);
}

async function linkMembers(db: Db): Promise<Evaluation['counts']> {
  // Records seen by either side (person from the truth, entity from the run), folded at once into
  // cells: one row per entity × person × identity-source flag, all later sums read only these.
  await db.exec(
    `
    create table cells as
    select m.entity_id, t.person_id, coalesce(t.source, m.source) in ` +
      `(${identitySources.map((s) => `'${s}'`).join(', ')}) as identity,
      count(*)::bigint as n
    from truth t full outer join members m on t.source = m.source and t.record_key = m.record_key
    group by all;
    create table entity_person as
    select entity_id, person_id from (
      select entity_id, person_id,
        row_number() over (partition by entity_id order by n desc, try_cast(person_id as hugeint) nulls last, ` +
      `person_id) as r
      from (select entity_id, person_id, sum(n) as n from cells
            where entity_id is not null and person_id is not null group by all))
    where r = 1;
  `,
  );
  const c = await db.one<Record<string, number>>(
    `
    select
      (select count(*) from persons)::bigint as persons,
      (select count(*) from persons where undeclared)::bigint as undeclared_persons,
      (select count(*) from truth)::bigint as truth_records,
      (select count(*) from cases)::bigint as cases,
      (select coalesce(sum(n_rows), 0) from members)::bigint as member_rows,
      (select coalesce(sum(n), 0) from cells where person_id is null)::bigint as not_in_truth,
      (select coalesce(sum(n), 0) from cells where entity_id is null)::bigint as not_in_members,
      (select count(*) from members where n_entities > 1)::bigint as several,
      (select count(*) from cases c where not exists (select 1 from entity_person e where e.entity_id = ` +
      `c.entity_id))::bigint as without_person
  `,
  );
  return {
    persons: c!.persons!,
    undeclaredPersons: c!.undeclared_persons!,
    truthRecords: c!.truth_records!,
    cases: c!.cases!,
    memberRows: c!.member_rows!,
    memberRecordsNotInTruth: c!.not_in_truth!,
    truthRecordsNotInMembers: c!.not_in_members!,
    recordsInSeveralEntities: c!.several!,
    casesWithoutPerson: c!.without_person!,
  };
}

async function scoreRanking(db: Db, ks: number[]): Promise<Evaluation['ranking']> {
  const maxK = ks[ks.length - 1]!;
  await db.exec(`
    create table ranked as
    select c.rank, c.entity_id, c.control, e.person_id,
      coalesce(p.undeclared, false) as undeclared, coalesce(p.true_tax_due, 0) as true_tax_due,
      a.person_id is not null as audited
    from cases c
      left join entity_person e on e.entity_id = c.entity_id
      left join persons p on p.person_id = e.person_id
      left join audited_persons a on a.person_id = e.person_id;
  `);
  const auditedCases = await db.value<number>(`select count(*)::bigint from ranked where audited`);
  const rows = await db.all<{
    entity_id: string;
    person_id: string | null;
    undeclared: boolean;
    true_tax_due: number;
    audited: boolean;
    control: boolean;
  }>(
    `select entity_id, person_id, undeclared, true_tax_due, audited, control from ranked
     order by rank nulls last, entity_id limit ${maxK + auditedCases}`,
  );
  const cases: RankedCase[] = rows.map((r) => ({
    entityId: r.entity_id,
    personId: r.person_id,
    undeclared: r.undeclared,
    trueTaxDue: r.true_tax_due,
    audited: r.audited,
    control: r.control,
  }));
  const eligible = `from persons p where not exists (select 1 from audited_persons a where a.person_id = p.person_id)`;
  const pop = (await db.one<{ n: number; u: number; due: number }>(
    `select count(*)::bigint as n, count(*) filter (where undeclared)::bigint as u,
       coalesce(sum(true_tax_due) filter (where undeclared), 0)::double as due ${eligible}`,
  ))!;
  const dues = (
    await db.all<{ d: number }>(`select true_tax_due as d ${eligible} and undeclared order by d desc limit ${maxK}`)
  ).map((r) => r.d);
  const baseRate = pop.n > 0 ? pop.u / pop.n : null;
  return {
    eligiblePersons: pop.n,
    eligibleUndeclared: pop.u,
    undeclaredTaxDueVnd: pop.due,
    baseRate,
    atK: rankingAtK(cases, ks, dues, pop.due, baseRate),
  };
}

async function pairwise(db: Db, identityOnly: boolean): Promise<PairwiseScores> {
  // Pairs are counted per group (Σ C(n,2)), never enumerated: members can hold tens of millions of rows.
  // Everything derives from the cells table (one row per entity × person × identity flag).
  const l = `(select * from cells where person_id is not null${identityOnly ? ' and identity' : ''})`;
  const r = (await db.one<Record<string, number>>(
    `
    with ent as (select entity_id, sum(n) as n, count(distinct person_id) as np from ${l} where entity_id is ` +
      `not null group by 1),
    per as (select sum(n) as n from ${l} group by person_id),
    cell as (select sum(n) as n from ${l} where entity_id is not null group by entity_id, person_id)
    select
      (select coalesce(sum(n), 0) from ${l})::bigint as records,
      (select count(*) from ent)::bigint as entities,
      (select coalesce(sum(n), 0) from ${l} where entity_id is null)::bigint as unlinked,
      (select count(*) from ent where np > 1)::bigint as mixed,
      (select coalesce(sum(n * (n - 1) // 2), 0) from ent)::double as predicted,
      (select coalesce(sum(n * (n - 1) // 2), 0) from per)::double as truth,
      (select coalesce(sum(n * (n - 1) // 2), 0) from cell)::double as tp
  `,
  ))!;
  const counts = { truePositivePairs: r.tp!, predictedPairs: r.predicted!, truePairs: r.truth! };
  return {
    records: r.records!,
    entities: r.entities!,
    unlinkedRecords: r.unlinked!,
    mixedEntities: r.mixed!,
    ...counts,
    ...pairwiseFromCounts(counts),
  };
}
