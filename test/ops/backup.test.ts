/**
 * `sangloc backup` / `sangloc restore`: a workspace restored from a backup carries on as the
 * original would: the next run there, over the same delivery, publishes the same cases.csv and
 * members.csv byte for byte. Restore refuses a non-empty target and a damaged file, leaving
 * nothing behind.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  truncateSync,
  copyFileSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/index.js';
import { silentLogger } from '../../engine/log.js';
import { runBatch } from '../../engine/run.js';
import { readAudit } from '../../engine/warehouse/audit.js';
import { cli } from '../cli/helpers.js';
import { tempDir } from '../helpers.js';
import { makeWorld, treeHashes, treeModes } from '../reliability/cli.js';

const root = tempDir('sangloc-backup-');
const world = join(root, 'world');
const ws = join(root, 'ws');
const ws2 = join(root, 'restored');
const out = join(root, 'backups', 'sangloc.tar.gz');
const config = loadConfig(undefined, { threads: 1 });
let firstRun = '';
let audited: string[] = [];

beforeAll(async () => {
  await makeWorld(world, 150, 8);
  firstRun = (await runBatch({ input: world, workspace: ws, config, log: silentLogger() })).runId;
  // State that lives only in the workspace: audit outcomes imported after the run, naming five
  // sellers of its list (the next run leaves them out as audited).
  const cases = JSON.parse(readFileSync(join(ws, 'latest', 'cases.json'), 'utf8')) as { tax_ids: string[] }[];
  audited = cases
    .filter((c) => c.tax_ids.length === 1)
    .slice(0, 5)
    .map((c) => c.tax_ids[0]!);
  const file = join(root, 'audits-2026-q4.csv');
  writeFileSync(
    file,
    [
      'subject_type,subject_id,period,result,assessed_revenue,assessed_tax,closed_on,selection',
      ...audited.map((id) => `tax_id,${id},2025,undeclared,900000000,27000000,2026-11-30,risk`),
    ].join('\n') + '\n',
  );
  const imp = await cli(['outcomes', 'import', file, '--workspace', ws, '--quiet']);
  expect(imp.code).toBe(0);
  mkdirSync(join(root, 'backups'));
}, 300_000);

describe('sangloc backup and restore', () => {
  it('backup writes one owner-only file, never over an existing one', async () => {
    const r = await cli(['backup', '--workspace', ws, '--out', out]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(
      /^sangloc: backup .*sangloc\.tar\.gz written \([\d,]+ (KiB|MiB); \d+ files, warehouse schema 4, 1 run\(s\), latest \d{8}-/,
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const again = await cli(['backup', '--workspace', ws, '--out', out]);
    expect([again.code, again.err]).toEqual([2, expect.stringMatching(/already exists; choose a new file name/)]);
    expect(readAudit(ws).at(-1)).toMatchObject({ action: 'backup', rows: { runs: 1 } });
  });

  it('restore refuses a non-empty folder and a damaged file, and leaves nothing behind', async () => {
    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'x');
    const r = await cli(['restore', out, '--workspace', busy]);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/is not empty; restore into a new \(or empty\) folder/)]);
    expect(treeHashes(busy)).toEqual({ 'keep.txt': expect.any(String) });
    const damaged = join(root, 'backups', 'damaged.tar.gz');
    copyFileSync(out, damaged);
    truncateSync(damaged, Math.floor(statSync(damaged).size / 2));
    const d = await cli(['restore', damaged, '--workspace', join(root, 'never')]);
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/the backup is truncated or damaged, use another one/);
    expect(existsSync(join(root, 'never'))).toBe(false);
  });

  it.each([
    { what: 'an empty file', content: '', says: 'is empty; not a sangloc backup' },
    { what: 'a file that is no tar.gz', content: 'taxpayers\n', says: 'is not a gzip-compressed tar file' },
  ])('restore of $what: "not a sangloc backup", exit 2, nothing left behind (QA item 9)', async ({ content, says }) => {
    const file = join(root, 'backups', 'not-a-backup.tar.gz');
    writeFileSync(file, content);
    const target = join(root, 'never-2');
    const r = await cli(['restore', file, '--workspace', target]);
    expect([r.code, r.err]).toEqual([2, expect.stringContaining(`${file} ${says}`)]);
    expect(r.err).not.toMatch(/internal error|TAR_/);
    expect(existsSync(target)).toBe(false);
  });

  it('restores into a new workspace: latest, owner-only files, status OK, audit trail continued', async () => {
    const r = await cli(['restore', out, '--workspace', ws2]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(basename(realpathSync(join(ws2, 'latest')))).toBe(firstRun);
    expect(readFileSync(join(ws2, 'latest', 'cases.csv'))).toEqual(readFileSync(join(ws, 'latest', 'cases.csv')));
    expect(treeModes(ws2).filter((e) => e.kind !== 'link' && (e.mode & 0o077) !== 0)).toEqual([]);
    expect(existsSync(join(ws2, 'sangloc-backup.json'))).toBe(false);
    const audit = readAudit(ws2);
    expect(audit.map((e) => e.action)).toEqual([
      ...readAudit(ws)
        .slice(0, -1)
        .map((e) => e.action),
      'restore',
    ]);
    expect((await cli(['status', '--workspace', ws2])).code).toBe(0);
  });

  it('the next run in the restored workspace gives the same cases.csv and members.csv as in the original', async () => {
    const a = await runBatch({ input: world, workspace: ws, config, log: silentLogger() });
    const b = await runBatch({ input: world, workspace: ws2, config, log: silentLogger() });
    for (const f of ['cases.csv', 'members.csv']) {
      expect(readFileSync(join(b.runDir, f)), f).toEqual(readFileSync(join(a.runDir, f)));
    }
    expect(b.cases).toBeGreaterThan(0);
    // The imported outcomes came through: those sellers are no longer on the list.
    expect(audited).toHaveLength(5);
    const listed = new Set(
      (JSON.parse(readFileSync(join(b.runDir, 'cases.json'), 'utf8')) as { tax_ids: string[] }[]).flatMap(
        (c) => c.tax_ids,
      ),
    );
    expect(audited.filter((id) => listed.has(id))).toEqual([]);
  });
});
