/**
 * Outcomes named by what a run showed the analyst: an `entity_id` of the run's case list, or a
 * record key of the case (`platform_shop` platform:shop_id, `domain`, `account` bank:number,
 * `waybill` carrier:waybill, as in cases.csv and members.csv). Each is resolved through that run's
 * snapshot to the run's entity, whose identity records are kept in `outcome_subjects`: later runs
 * find the seller by those records even when entities re-form. A key the run does not know, or one
 * that several of its entities share, is rejected with the column and the reason (never the value).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { FileLoad } from '../ingest/load.js';
import { SNAPSHOT_FILE } from '../publish/snapshot.js';
import { literal, type Db } from '../warehouse/db.js';

/** Subject types resolved through a published run at import. */
export const runSubjectTypes = ['entity_id', 'platform_shop', 'domain', 'account', 'waybill'] as const;

const kindText: Record<string, string> = {
  entity_id: 'entity id',
  platform_shop: 'shop',
  domain: 'website domain',
  account: 'bank account',
  waybill: 'waybill',
};

/** The run an import resolves through: its id and folder (holding snapshot.duckdb). */
export interface ResolvingRun {
  runId: string;
  dir: string;
}

/**
 * Resolves this file's run-named subjects (rows of `stg_outcomes` from `load.fileId`) through `run`;
 * moves the rows it cannot resolve from `raw_outcomes` to `rejects` (column `subject_id`) and
 * corrects the file's counts in `ingest_files` and `load`. Call with `stg_outcomes` built; rebuild
 * it afterwards. Returns how many rows were resolved and rejected.
 *
 * @example await resolveThroughRun(db, load, importId, { runId, dir: ws.runDir(runId) });
 */
export async function resolveThroughRun(
  db: Db,
  load: FileLoad,
  importId: string,
  run: ResolvingRun | null,
): Promise<{ resolved: number; rejected: number }> {
  const fileId = load.fileId!;
  const types = runSubjectTypes.map((t) => literal(t)).join(', ');
  const subjects = await db.value<number>(
    `select count(*)::bigint from stg_outcomes where _file_id = $f and subject_type in (${types})`,
    { f: fileId },
  );
  if (!subjects) return { resolved: 0, rejected: 0 };
  const snapshot = run ? join(run.dir, SNAPSHOT_FILE) : null;
  const usable = snapshot !== null && existsSync(snapshot);
  if (usable) await db.exec(`attach ${literal(snapshot)} as outcome_run (read_only)`);
  try {
    // Per row of the file: how many of the run's entities hold the key, and which (when one).
    const keys = usable
      ? `select entity_id, 'entity_id' as subject_type, entity_id as subject_id from outcome_run.main.int_entities
         union select entity_id, 'platform_shop', source_key from outcome_run.main.int_entities
           where source = 'platform_sellers'
         union select entity_id, 'domain', domain from outcome_run.main.int_entities where domain is not null
         union select entity_id, 'account', account from outcome_run.main.int_entities where account is not null
         union select e.entity_id, 'waybill',
                      lower(split_part(r.record_key, ':', 1)) || ':' ||
                      substr(r.record_key, strpos(r.record_key, ':') + 1)
           from outcome_run.main.int_record_identity r join outcome_run.main.int_entities e using (record_id)
           where r.source = 'cod_shipments'`
      : `select null::varchar as entity_id, null::varchar as subject_type, null::varchar as subject_id where false`;
    await db.exec(
      `create or replace temp table outcome_hits as
       with keys as (${keys})
       select o._line as line, o.subject_type, o.subject_id,
              count(distinct k.entity_id)::int as entities, min(k.entity_id) as entity_id
       from stg_outcomes o left join keys k on k.subject_type = o.subject_type and k.subject_id = o.subject_id
       where o._file_id = $f and o.subject_type in (${types})
       group by all`,
      { f: fileId },
    );
    const runText = run ? `run ${run.runId}` : 'the workspace (no published run yet)';
    const kindSql = `case h.subject_type ${Object.entries(kindText)
      .map(([t, k]) => `when ${literal(t)} then ${literal(k)}`)
      .join(' ')} end`;
    const reasonSql =
      `case when h.entities = 0 then 'no entity of ' || $runText || ' has this ' || ${kindSql} || ` +
      `': give it as that run''s cases.csv or members.csv spells it, or pass --run with the run the case came from' ` +
      `else 'this ' || ${kindSql} || ' belongs to ' || h.entities || ' entities of ' || $runText || ` +
      `': give the entity_id of the case instead' end`;
    await db.exec('begin transaction');
    try {
      await db.exec(
        `insert into rejects
         select $run, $f, 'outcomes', $file, h.line, 'subject_id', r.subject_id, ${reasonSql}
         from outcome_hits h join raw_outcomes r on r._file_id = $f and r._line = h.line
         where h.entities <> 1 order by h.line`,
        { run: importId, f: fileId, file: (await fileName(db, fileId)) ?? load.file, runText },
      );
      await db.exec(
        `delete from raw_outcomes where _file_id = $f and _line in (select line from outcome_hits where entities <> 1)`,
        { f: fileId },
      );
      if (usable) {
        // The latest resolution of a subject wins, as the latest delivered outcome row does.
        await db.exec(
          `delete from outcome_subjects s where exists (select 1 from outcome_hits h
             where h.entities = 1 and h.subject_type = s.subject_type and h.subject_id = s.subject_id)`,
        );
        await db.exec(
          `insert into outcome_subjects
           select h.subject_type, h.subject_id, $runId, h.entity_id, e.source, e.source_key, $f
           from outcome_hits h join outcome_run.main.int_entities e using (entity_id)
           where h.entities = 1 order by all`,
          { runId: run!.runId, f: fileId },
        );
      }
      const rejected = (await db.value<number>(`select count(*)::int from outcome_hits where entities <> 1`)) ?? 0;
      await db.exec(
        `update ingest_files set rows_loaded = rows_loaded - $n, rows_rejected = rows_rejected + $n where file_id = $f`,
        { n: rejected, f: fileId },
      );
      await db.exec('commit');
      load.rowsLoaded -= rejected;
      load.rowsRejected += rejected;
      return { resolved: subjects - rejected, rejected };
    } catch (err) {
      await db.exec('rollback').catch(() => undefined);
      throw err;
    }
  } finally {
    await db.exec('drop table if exists outcome_hits').catch(() => undefined);
    if (usable) await db.exec('detach outcome_run');
  }
}

async function fileName(db: Db, fileId: number): Promise<string | null> {
  return db.value<string | null>(`select name from ingest_files where file_id = $f`, { f: fileId });
}
