/**
 * Child process of interrupted.test.ts: loads a delivery into a file-backed warehouse and kills
 * itself (SIGKILL: no cleanup, no rollback) once the given file's rows are written but before its
 * transaction commits.
 *
 *   node --import tsx test/ingest/interrupted-child.ts <warehouse> <delivery> <file name to die in>
 */
import { loadDelivery } from '../../engine/ingest/load.js';
import { silentLogger } from '../../engine/log.js';
import { openDb } from '../../engine/warehouse/db.js';

const [warehouse, delivery, dieIn] = process.argv.slice(2) as [string, string, string];
const db = await openDb(warehouse);
// a connection of its own to watch the other files commit (the two loading connections are busy)
const watch = await db.connection();
await loadDelivery(db, delivery, {
  runId: 'killed',
  log: silentLogger(),
  beforeCommit: async (file, lane) => {
    if (file.name !== dieIn) return;
    // Files load two at a time: the test reads the files before this one as committed, so wait for them
    // (the loading connection's transaction would not see their commits; this one does)
    while ((await watch.value<number>(`select count(*)::int from ingest_files`)) < 1)
      await new Promise((r) => setTimeout(r, 20));
    // Make sure the uncommitted rows are really there before dying (on the connection loading them).
    const n = await lane.value<number>(
      `select count(*)::int from raw_${file.source} where _file_id = (select max(file_id) from ingest_files)`,
    );
    process.stdout.write(`uncommitted rows: ${n}\n`);
    process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
