/**
 * Consistency checks of a workspace's warehouse after a fault: it opens, and every file the
 * ledger calls loaded is in its raw table whole (no half-loaded file, no file loaded twice).
 */
import { sourceNames } from '../../engine/ingest/sources.js';
import { openDb } from '../../engine/warehouse/db.js';
import { rawTable } from '../../engine/ingest/schema.js';

export interface WarehouseState {
  /** ingest_files rows by status. */
  files: Record<string, number>;
  /** Files whose raw rows or rejects disagree with the ledger (should be empty). */
  mismatches: string[];
  /** SHA-256 values recorded as loaded more than once (should be empty). */
  loadedTwice: string[];
  /** Raw rows whose file the ledger does not call loaded (should be 0). */
  orphanRows: number;
}

/** Opens `path` with openDb (throws if it cannot) and checks the ledger against the raw tables. */
export async function checkWarehouse(path: string): Promise<WarehouseState> {
  const db = await openDb(path);
  try {
    const files: Record<string, number> = {};
    for (const r of await db.all<{ status: string; n: number }>(
      `select status, count(*)::bigint as n from ingest_files group by status`,
    ))
      files[r.status] = r.n;
    const ledger = await db.all<{
      file_id: number;
      source: string;
      name: string;
      rows_loaded: number;
      rows_rejected: number;
    }>(
      `select file_id, source, name, rows_loaded, rows_rejected from ingest_files where status = 'loaded' order by file_id`,
    );
    const mismatches: string[] = [];
    let orphanRows = 0;
    for (const s of sourceNames) {
      const counts = new Map(
        (
          await db.all<{ f: number; n: number }>(
            `select _file_id as f, count(*)::bigint as n from ${rawTable(s)} group by 1`,
          )
        ).map((r) => [r.f, r.n]),
      );
      for (const f of ledger.filter((l) => l.source === s)) {
        const n = counts.get(f.file_id) ?? 0;
        if (n !== f.rows_loaded) mismatches.push(`${f.name}: ledger ${f.rows_loaded} loaded, raw table ${n}`);
        counts.delete(f.file_id);
      }
      for (const n of counts.values()) orphanRows += n;
    }
    const rejects = new Map(
      (
        await db.all<{ f: number; n: number }>(`select file_id as f, count(*)::bigint as n from rejects group by 1`)
      ).map((r) => [r.f, r.n]),
    );
    for (const f of ledger) {
      if ((rejects.get(f.file_id) ?? 0) !== f.rows_rejected)
        mismatches.push(`${f.name}: ledger ${f.rows_rejected} rejected, rejects table ${rejects.get(f.file_id) ?? 0}`);
    }
    const loadedTwice = (
      await db.all<{ sha256: string }>(
        `select sha256 from ingest_files where status = 'loaded' group by sha256 having count(*) > 1`,
      )
    ).map((r) => r.sha256);
    return { files, mismatches, loadedTwice, orphanRows };
  } finally {
    db.close();
  }
}
