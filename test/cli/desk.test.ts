/**
 * Issue 15, items 5–8: outcomes named by a run's entity id or record key; the audit line of every
 * command that reads or writes personal data; explain, stats, diff and models reading the run's
 * snapshot (while a run holds the workspace, and on a read-only workspace); the CLI conventions.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { exitCodes } from '../../engine/cli/exit-codes.js';
import { buildDossier } from '../../engine/explain/dossier.js';
import { setLang } from '../../engine/format.js';
import { createLogger, progressText } from '../../engine/log.js';
import { parsePeriod, periodStats } from '../../engine/stats/period.js';
import { packageRoot } from '../../engine/paths.js';
import type { CaseRow } from '../../engine/publish/case-row.js';
import { engineVersion } from '../../engine/version.js';
import { readAudit } from '../../engine/warehouse/audit.js';
import { ident, literal, openDb } from '../../engine/warehouse/db.js';
import { workModels } from '../../engine/warehouse/pipeline.js';
import { acquireLock, openWorkspace } from '../../engine/warehouse/workspace.js';
import { tempDir } from '../helpers.js';
import { treeModes } from '../reliability/cli.js';
import { cli, samplesDir } from './helpers.js';

const root = tempDir('sangloc-desk-');
const ws = join(root, 'ws');
const config = join(root, 'one-thread.json');
const fallback = join(root, 'fallback', 'audit.log');
const bin = join(packageRoot, 'bin', 'sangloc.js');
let cases: CaseRow[] = [];
let members: string[][] = [];
const savedFallback = process.env.SANGLOC_AUDIT_FALLBACK;

beforeAll(async () => {
  process.env.SANGLOC_AUDIT_FALLBACK = fallback;
  writeFileSync(config, JSON.stringify({ threads: 1 }));
  const r = await cli(['run', '--input', samplesDir, '--workspace', ws, '--config', config, '--quiet']);
  expect(r.code, r.err).toBe(0);
  cases = JSON.parse(readFileSync(join(ws, 'latest', 'cases.json'), 'utf8')) as CaseRow[];
  members = readFileSync(join(ws, 'latest', 'members.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}, 180_000);

afterAll(() => {
  if (savedFallback === undefined) delete process.env.SANGLOC_AUDIT_FALLBACK;
  else process.env.SANGLOC_AUDIT_FALLBACK = savedFallback;
});

const runId = () => readAudit(ws).find((e) => e.action === 'run')!.run_id!;
const header = 'subject_type,subject_id,period,result,assessed_revenue,assessed_tax,closed_on,selection';

describe('the run’s snapshot holds what the analyst commands read (item 7)', () => {
  it('dossiers and period statistics from the snapshot equal those from the warehouse it was taken of', async () => {
    const warehouse = await openDb(openWorkspace(ws).warehouse, { readOnly: true });
    const snapshot = await openDb(join(ws, 'latest', 'snapshot.duckdb'), { readOnly: true });
    try {
      // The run's work tables were temporary (temp34): the warehouse keeps none of them, and what the
      // dossier reads of them comes from the snapshot; every other table must be the warehouse's.
      const kept = await warehouse.all<{ t: string }>(`select table_name as t from duckdb_tables() order by 1`);
      expect(kept.filter((k) => workModels.has(k.t))).toEqual([]);
      await warehouse.exec(`attach ${literal(join(ws, 'latest', 'snapshot.duckdb'))} as snap (read_only)`);
      for (const { t } of await snapshot.all<{ t: string }>(`select table_name as t from duckdb_tables()`))
        if (workModels.has(t)) await warehouse.exec(`create temp table ${ident(t)} as select * from snap.${ident(t)}`);
      for (const c of [cases[0]!, cases[7]!, cases.at(-1)!]) {
        const opts = { taxYear: 2025, runId: runId(), caseRow: c };
        expect(await buildDossier(snapshot, c.entity_id, opts)).toEqual(
          await buildDossier(warehouse, c.entity_id, opts),
        );
      }
      for (const p of ['2025', '2026', '2025-Q3'])
        expect(await periodStats(snapshot, parsePeriod(p))).toEqual(await periodStats(warehouse, parsePeriod(p)));
    } finally {
      snapshot.close();
      warehouse.close();
    }
  });
});

describe('outcomes import: a run’s entity id or a record key of the case (item 5)', () => {
  it('resolves entity ids, shops, waybills, accounts and domains through the run; rejects the unknown by column', async () => {
    const e1 = cases[0]!.entity_id;
    const e2 = cases[1]!.entity_id;
    const shop = cases.find((c) => c.shops.length && ![e1, e2].includes(c.entity_id))!;
    const waybillOwner = members.find((m) => m[1] === 'cod_shipments' && ![e1, shop.entity_id].includes(m[0]!))!;
    const account = cases.find(
      (c) => c.accounts.length === 1 && ![e1, shop.entity_id, waybillOwner[0]].includes(c.entity_id),
    )!;
    const site = cases.find(
      (c) => c.domains.length && ![e1, shop.entity_id, waybillOwner[0], account.entity_id].includes(c.entity_id),
    )!;
    const file = join(root, 'audits-0912345678.csv');
    writeFileSync(
      file,
      [
        header,
        `entity_id,${e1.toLowerCase()},2025,undeclared,100000000,1500000,2026-11-01,risk`,
        `platform_shop,${shop.shops[0]},2025,undeclared,,,2026-11-02,risk`,
        `waybill,${waybillOwner[2]},2025,compliant,,,2026-11-03,random`,
        `account,${account.accounts[0]},2025,undeclared,,,2026-11-04,risk`,
        `domain,https://www.${site.domains[0]}/,2025,undeclared,,,2026-11-04,risk`,
        'entity_id,ENOSUCH00001,2025,undeclared,,,2026-11-05,risk',
        'waybill,ghn:0988777666,2025,undeclared,,,2026-11-05,risk',
        '',
      ].join('\n'),
    );
    const r = await cli(['outcomes', 'import', file, '--workspace', ws, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('7 row(s) read, 5 loaded, 2 rejected');
    expect(r.out).toContain(`5 named by entity id or record key, found in run ${runId()}`);
    expect(r.out).toMatch(/line 7 \(subject_id\): no entity of run \S+ has this entity id/);
    expect(r.out).toMatch(/line 8 \(subject_id\): no entity of run \S+ has this waybill/);
    // The reason names the column, never the value.
    expect(r.out + r.err).not.toContain('ENOSUCH00001');
    expect(r.out + r.err).not.toContain('0988777666');
    const db = await openDb(openWorkspace(ws).warehouse, { readOnly: true });
    try {
      const reached = await db.all<{ subject_type: string; entity_id: string }>(
        `select subject_type, entity_id from int_outcome_entities
         where closed_on between '2026-11-01' and '2026-11-04' and entity_id is not null
         order by 1`,
      );
      expect(reached).toEqual([
        { subject_type: 'account', entity_id: account.entity_id },
        { subject_type: 'domain', entity_id: site.entity_id },
        { subject_type: 'entity_id', entity_id: e1 },
        { subject_type: 'platform_shop', entity_id: shop.entity_id },
        { subject_type: 'waybill', entity_id: waybillOwner[0] },
      ]);
      const labelled = await db.all<{ entity_id: string }>(
        `select entity_id from mart_entity_outcomes where entity_id in ($a, $b) order by 1`,
        { a: e1, b: shop.entity_id },
      );
      expect(labelled.map((x) => x.entity_id)).toEqual([e1, shop.entity_id].sort());
      // What later runs find the seller by: the identity records of the run's entity, with the run named.
      const kept = await db.all<{ subject_type: string; run_id: string; entity_id: string; records: number }>(
        `select subject_type, run_id, entity_id, count(*)::int as records from outcome_subjects
         where subject_type = 'entity_id' group by all`,
      );
      const snap = await openDb(join(ws, 'latest', 'snapshot.duckdb'), { readOnly: true });
      const records = await snap.value<number>(`select count(*)::int from int_entities where entity_id = $e`, {
        e: e1,
      });
      snap.close();
      expect(kept).toEqual([{ subject_type: 'entity_id', run_id: runId(), entity_id: e1, records }]);
    } finally {
      db.close();
    }
  });

  it('rejects a record key several entities of the run share, asking for the entity id', async () => {
    const shared = await (async () => {
      const db = await openDb(join(ws, 'latest', 'snapshot.duckdb'), { readOnly: true });
      try {
        return await db.value<string>(
          `select account from int_entities where account is not null
           group by account having count(distinct entity_id) > 1 order by account limit 1`,
        );
      } finally {
        db.close();
      }
    })();
    expect(shared).toBeTruthy();
    const file = join(root, 'audits-shared.csv');
    writeFileSync(file, `${header}\naccount,${shared},2025,undeclared,,,2026-11-06,risk\n`);
    const r = await cli(['outcomes', 'import', file, '--workspace', ws, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /line 2 \(subject_id\): this bank account belongs to \d+ entities of run \S+: give the entity_id/,
    );
  });
});

describe('the audit line of every command that reads or writes personal data (item 6)', () => {
  const user = userInfo().username;

  it.each([
    {
      action: 'explain',
      args: () => ['explain', cases[0]!.entity_id, '--workspace', ws, '--rows', '2'],
      rows: ['identity_records', 'source_records', 'rows_shown'],
    },
    {
      action: 'explain',
      args: () => [
        'explain',
        cases[1]!.entity_id,
        '--workspace',
        ws,
        '--format',
        'html',
        '--out',
        join(root, 'd.html'),
      ],
      rows: ['source_records', 'exported'],
    },
    { action: 'stats', args: () => ['stats', '--period', '2025', '--workspace', ws], rows: ['provinces', 'sellers'] },
    {
      action: 'stats',
      args: () => ['stats', '--period', '2026', '--workspace', ws, '--out', join(root, 's.csv')],
      rows: ['provinces', 'exported'],
    },
    { action: 'diff', args: () => ['diff', 'latest', 'latest', '--workspace', ws], rows: ['changes', 'shown'] },
    {
      action: 'outcomes_import',
      args: () => {
        const file = join(root, 'audits-more.csv');
        writeFileSync(file, `${header}\nentity_id,${cases[5]!.entity_id},2025,compliant,,,2026-11-07,random\n`);
        return ['outcomes', 'import', file, '--workspace', ws, '--quiet'];
      },
      rows: ['rows_read', 'rows_loaded', 'rows_rejected', 'resolved_through_run'],
    },
    { action: 'train', args: () => ['train', '--workspace', ws, '--config', config, '--quiet'], rows: ['labels'] },
    {
      action: 'link',
      args: () => [
        'link',
        '--spec',
        join(packageRoot, 'examples/link/spec.json'),
        join(packageRoot, 'examples/link/shops.csv'),
        join(packageRoot, 'examples/link/registry.csv'),
        '--out',
        join(root, 'link'),
        '--workspace',
        ws,
        '--quiet',
      ],
      rows: ['records', 'candidate_pairs', 'links'],
    },
  ])('$action $args appends who, what, when and row counts', async ({ action, args, rows }) => {
    const before = readAudit(ws).length;
    const argv = args();
    const started = Date.now();
    const r = await cli(argv);
    expect([0, 3], r.err).toContain(r.code);
    const lines = readAudit(ws);
    expect(lines).toHaveLength(before + 1);
    const line = lines.at(-1)!;
    expect(line.action).toBe(action);
    expect(line.user).toBe(user);
    expect(Date.parse(line.ts)).toBeGreaterThanOrEqual(started - 1000);
    expect(line.args).toEqual(argv);
    for (const k of rows) expect(typeof line.rows[k], k).toBe('number');
  });

  it('the run recorded itself with its command line and counts', () => {
    const run = readAudit(ws).find((e) => e.action === 'run')!;
    expect(run.args).toEqual(['run', '--input', samplesDir, '--workspace', ws, '--config', config, '--quiet']);
    expect(run.rows.cases).toBe(cases.length);
    expect(run.user).toBe(userInfo().username);
  });

  it('scrubs identifier-like values from the recorded arguments', () => {
    const line = readAudit(ws).find((e) => e.args?.some((a) => a.includes('audits-')))!;
    expect(line.args!.join(' ')).toContain('audits-[number].csv');
    expect(JSON.stringify(readAudit(ws))).not.toContain('0912345678');
  });

  it('records nothing when the command showed nothing (unknown entity)', async () => {
    const before = readAudit(ws).length;
    const r = await cli(['explain', 'E0000000000', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(readAudit(ws)).toHaveLength(before);
  });
});

/** `sangloc …` as a child process (it must not share this process's DuckDB handles). */
function sangloc(args: string[], opts: { uid?: number; gid?: number; env?: Record<string, string> } = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh', ...opts.env },
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
  });
}

const readers = () => [
  ['explain', cases[0]!.entity_id, '--workspace'],
  ['stats', '--period', '2025', '--workspace'],
  ['diff', 'latest', 'latest', '--workspace'],
  ['models', '--workspace'],
];

describe('explain, stats, diff and models read the run’s snapshot, never the live warehouse (item 7)', () => {
  it('work while a run holds the workspace lock and the warehouse open for writing', async () => {
    const lock = await acquireLock(openWorkspace(ws), { command: 'run' });
    const db = await openDb(openWorkspace(ws).warehouse);
    try {
      await db.exec('create or replace table busy as select 1 as x');
      for (const args of readers()) {
        const r = sangloc([...args, ws]);
        expect(r.status, `${args[0]}: ${r.stderr}`).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(20);
      }
    } finally {
      await db.exec('drop table busy');
      db.close();
      lock.release();
    }
  });

  it('work on a read-only workspace, recording themselves in the reader’s fallback audit log', () => {
    const ro = join(root, 'ro');
    cpSync(ws, ro, { recursive: true, verbatimSymlinks: true });
    const asRoot = process.getuid?.() === 0;
    // root writes through any permission bit: the commands then run as `nobody`, who owns the copy.
    const who = asRoot ? { uid: 65534, gid: 65534 } : {};
    const fb = join(root, 'ro-fallback');
    mkdirSync(fb, { mode: 0o777 });
    chmodSync(fb, 0o777);
    if (asRoot) {
      spawnSync('chown', ['-R', '65534:65534', ro]);
      chownSync(fb, 65534, 65534);
      chmodSync(root, 0o755);
    }
    spawnSync('chmod', ['-R', 'a-w', ro]);
    const modes = treeModes(ro);
    const env = { SANGLOC_AUDIT_FALLBACK: join(fb, 'audit.log') };
    const auditBefore = readFileSync(join(ro, 'audit.log'), 'utf8');
    try {
      for (const args of readers()) {
        const r = sangloc([...args, ro], { ...who, env });
        expect(r.status, `${args[0]}: ${r.stderr}`).toBe(0);
        if (args[0] !== 'models')
          expect(r.stderr).toContain(`this access is recorded in ${env.SANGLOC_AUDIT_FALLBACK}`);
      }
      expect(readFileSync(join(ro, 'audit.log'), 'utf8')).toBe(auditBefore);
      expect(treeModes(ro)).toEqual(modes); // nothing made, nothing chmod'ed
      const recorded = readAudit(fb).map((e) => [e.action, e.workspace]);
      expect(recorded).toEqual([
        ['explain', ro],
        ['stats', ro],
        ['diff', ro],
      ]);
    } finally {
      spawnSync('chmod', ['-R', 'u+w', ro]);
    }
  });

  it('the run folder holds the snapshot, owner-only', () => {
    expect(statSync(join(ws, 'latest', 'snapshot.duckdb')).mode & 0o777).toBe(0o600);
  });
});

describe('CLI conventions (item 8)', () => {
  it('main help: one line with a description per command, the exit codes, and exit 0 without arguments', async () => {
    const r = await cli([]);
    expect(r.code).toBe(0);
    for (const name of ['run', 'check', 'explain', 'diff', 'outcomes', 'train', 'models', 'stats', 'status', 'link'])
      expect(r.out).toMatch(new RegExp(`^  ${name} +\\S.{10,}$`, 'm'));
    expect(r.out).toContain('exit codes:');
    for (const e of exitCodes) expect(r.out).toMatch(new RegExp(`^  ${e.code.replace(/[,]/g, '\\$&')} +\\S`, 'm'));
  });

  it('--version prints the engine version', async () => {
    const r = await cli(['--version']);
    expect(r).toMatchObject({ code: 0, out: `${engineVersion}\n` });
  });

  it.each([
    { args: ['expalin'], hint: 'did you mean explain?' },
    { args: ['outcome', 'import', 'x.csv'], hint: 'did you mean outcomes?' },
    { args: ['--verison'], hint: 'did you mean --version?' },
    { args: ['explain', 'E1', '--worksapce', 'x'], hint: 'unknown option --worksapce (did you mean --workspace?)' },
    { args: ['stats', '--perod', '2025'], hint: 'did you mean --period?' },
  ])('did you mean: $args', async ({ args, hint }) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(hint);
  });

  it('no suggestion for a name close to nothing', async () => {
    const r = await cli(['explain', 'E1', '--zzzzzzzz']);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('did you mean');
  });

  it('the README holds the same exit-code table as the help', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    for (const e of exitCodes) expect(readme).toContain(`| ${e.code} | ${e.meaning} |`);
  });

  it('progress: one redrawn line with percentage and time left on a terminal, a line per quarter otherwise', async () => {
    setLang('en');
    onTestFinished(() => setLang('vi'));
    let t = 0;
    const drawn: string[] = [];
    const tty = createLogger({ tty: true, write: () => undefined, redraw: (s) => drawn.push(s), now: () => t });
    await tty.stage('ingest', () => {
      for (const done of [1, 2, 3]) {
        t += 1000;
        tty.progress(done, 4);
      }
    });
    expect(drawn.slice(0, 3)).toEqual([
      'sangloc: [ingest] 25 % · about 3 s left',
      'sangloc: [ingest] 50 % · about 2 s left',
      'sangloc: [ingest] 75 % · about 1 s left',
    ]);
    expect(drawn.at(-1)).toBe(''); // cleared before the stage's "done" line
    const lines: string[] = [];
    t = 0;
    const plain = createLogger({ tty: false, write: (l) => lines.push(l), now: () => t });
    await plain.stage('resolve', () => {
      for (let done = 1; done <= 10; done++) {
        t += 500;
        plain.progress(done, 10);
      }
    });
    expect(lines).toEqual([
      'sangloc: [resolve] …',
      'sangloc: [resolve] 30 % · about 4 s left',
      'sangloc: [resolve] 50 % · about 3 s left',
      'sangloc: [resolve] 80 % · about 1 s left',
      'sangloc: [resolve] done in 5.0 s',
    ]);
    setLang('vi');
    expect(progressText(0.25, 3000)).toBe('25 % · còn khoảng 9 giây');
  });
});
