/**
 * `sangloc backup` / `sangloc restore`: one file holding what a workspace cannot rebuild by itself.
 * The warehouse (checkpointed, then read while the run lock is held, so no run can change it
 * mid-copy), the trained models, the archive of imported outcomes, the audit log, every run's
 * run.json and the `latest` run in full (so `status`, `diff` and `explain` work at once after a
 * restore). A gzip'd tar written with node-tar (no shell, same on every OS), with a manifest of
 * SHA-256 sums that restore checks before the workspace is used.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as tar from 'tar';
import { UsageError, WorkspaceError } from '../errors.js';
import { openWarehouse } from '../explain/open.js';
import { engineVersion } from '../version.js';
import { appendAudit } from '../warehouse/audit.js';
import { SCHEMA_VERSION, warehouseSchemaVersion } from '../ingest/schema.js';
import { acquireLock, openWorkspace, workspacePaths, type Workspace } from '../warehouse/workspace.js';

/** Name of the manifest inside a backup. */
export const MANIFEST = 'sangloc-backup.json';
const FORMAT = 1;

export interface BackupManifest {
  format: number;
  created_at: string;
  engine_version: string;
  /** Schema version of the warehouse inside (null: the workspace had no warehouse yet). */
  schema_version: number | null;
  latest_run: string | null;
  /** Every run whose run.json is inside; `latest_run` (or all, with allRuns) has its whole folder. */
  runs: string[];
  files: { path: string; bytes: number; sha256: string }[];
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/**
 * Writes a backup of `ws` to `out` (refuses to overwrite; written under a temporary name and
 * renamed when complete, mode 0600: it holds personal data like the workspace).
 *
 * @example await backupWorkspace(openWorkspace('workspace'), '/backup/sangloc-2026-11-24.tar.gz')
 */
export async function backupWorkspace(
  ws: Workspace,
  out: string,
  opts: { wait?: boolean; allRuns?: boolean; now?: Date } = {},
): Promise<BackupResult> {
  process.umask(0o077);
  const target = resolve(out);
  if (existsSync(target))
    throw new UsageError(`${out} already exists; choose a new file name (backups are never overwritten)`);
  if (!existsSync(dirname(target)))
    throw new UsageError(`${dirname(out)} does not exist; create the backup folder first`);
  if (target.startsWith(ws.root + '/'))
    throw new UsageError(`${out} is inside the workspace; write backups elsewhere (another disk, ideally)`);
  const lock = await acquireLock(ws, { wait: opts.wait, command: 'backup' });
  const staging = join(ws.tmpDir, `backup-${process.pid}`);
  const partial = `${target}.partial-${process.pid}`;
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    let schemaVersion: number | null = null;
    if (existsSync(ws.warehouse)) {
      // Opening replays a WAL a killed process may have left; CHECKPOINT then closing leaves one
      // self-contained file, which nothing changes while we hold the lock.
      const db = await openWarehouse(ws);
      try {
        await db.exec('checkpoint');
        schemaVersion = await warehouseSchemaVersion(db);
      } finally {
        db.close();
      }
      if (existsSync(`${ws.warehouse}.wal`) && statSync(`${ws.warehouse}.wal`).size > 0) {
        throw new WorkspaceError(
          `${ws.warehouse}.wal is still there after a checkpoint; run \`sangloc run\` once, then back up again`,
        );
      }
      place(ws.warehouse, join(staging, 'warehouse.duckdb'));
    }
    for (const dir of ['models', 'outcomes']) copyTree(join(ws.root, dir), join(staging, dir));
    if (existsSync(join(ws.root, 'audit.log'))) place(join(ws.root, 'audit.log'), join(staging, 'audit.log'));
    let latest: string | null = null;
    try {
      latest = basename(realpathSync(ws.latestLink));
    } catch {
      latest = null;
    }
    const runs: string[] = [];
    if (existsSync(ws.runsDir)) {
      for (const id of readdirSync(ws.runsDir)
        .filter((n) => !n.startsWith('.'))
        .sort()) {
        const dir = ws.runDir(id);
        if (!existsSync(join(dir, 'run.json'))) continue;
        runs.push(id);
        if (id === latest || opts.allRuns) copyTree(dir, join(staging, 'runs', id));
        else {
          mkdirSync(join(staging, 'runs', id), { recursive: true, mode: 0o700 });
          place(join(dir, 'run.json'), join(staging, 'runs', id, 'run.json'));
        }
      }
    }
    const files = await Promise.all(
      listFiles(staging).map(async (path) => ({
        path,
        bytes: statSync(join(staging, path)).size,
        sha256: await sha256File(join(staging, path)),
      })),
    );
    const manifest: BackupManifest = {
      format: FORMAT,
      created_at: (opts.now ?? new Date()).toISOString(),
      engine_version: engineVersion,
      schema_version: schemaVersion,
      latest_run: latest,
      runs,
      files,
    };
    writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    await tar.c({ file: partial, gzip: true, cwd: staging, portable: true }, [
      MANIFEST,
      ...readdirSync(staging)
        .filter((n) => n !== MANIFEST)
        .sort(),
    ]);
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(partial, 0o600);
    renameSync(partial, target);
    appendAudit(ws, {
      action: 'backup',
      rows: { runs: runs.length, files: files.length, bytes: statSync(target).size },
      detail: `to ${basename(target)}; warehouse schema ${schemaVersion ?? 'none'}; latest ${latest ?? 'none'}`,
    });
    return { file: target, bytes: statSync(target).size, manifest };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}

export interface RestoreResult {
  workspace: string;
  manifest: BackupManifest;
}

const TOP_LEVEL = new Set([MANIFEST, 'warehouse.duckdb', 'audit.log', 'models', 'outcomes', 'runs']);

/**
 * Restores a backup into a new workspace (missing or an empty folder; anything else is refused),
 * checks every file against the manifest, and points `latest` at the run that was latest.
 *
 * @example await restoreWorkspace('/backup/sangloc-2026-11-24.tar.gz', '/srv/sangloc/workspace')
 */
export async function restoreWorkspace(file: string, workspace: string): Promise<RestoreResult> {
  process.umask(0o077);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new UsageError(`${file} not found; give the path of a file written by \`sangloc backup\``);
  // Before any folder is made: a file that is not even a gzip stream is the wrong argument.
  const notBackup = notGzipped(file);
  if (notBackup)
    throw new UsageError(`${file} ${notBackup}; not a sangloc backup: give a file written by \`sangloc backup\``);
  const ws = workspacePaths(workspace);
  if (existsSync(ws.root)) {
    if (!statSync(ws.root).isDirectory())
      throw new UsageError(`${workspace} exists and is not a folder; restore into a new workspace folder`);
    if (readdirSync(ws.root).length)
      throw new UsageError(`${workspace} is not empty; restore into a new (or empty) folder, never over a workspace`);
  }
  const created = !existsSync(ws.root);
  mkdirSync(ws.root, { recursive: true, mode: 0o700 });
  try {
    const refused: string[] = [];
    await extract({
      file,
      cwd: ws.root,
      strict: true,
      // Only what a backup holds: regular files and folders under the known top-level names.
      filter: (path, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        const ok =
          TOP_LEVEL.has(path.replace(/^\.\//, '').split('/')[0]!) &&
          (type === 'File' || type === 'Directory') &&
          !path.split('/').includes('..');
        if (!ok) refused.push(path);
        return ok;
      },
    });
    if (refused.length)
      throw new UsageError(`${file}: unexpected entries (${refused.slice(0, 3).join(', ')}); not a sangloc backup`);
    const manifestFile = join(ws.root, MANIFEST);
    if (!existsSync(manifestFile)) throw new UsageError(`${file} has no ${MANIFEST}; not a sangloc backup`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
    if (manifest.format !== FORMAT)
      throw new WorkspaceError(
        `${file}: backup format ${manifest.format} is not ${FORMAT}; ` +
          `restore it with the sangloc release that wrote it (${manifest.engine_version})`,
      );
    if (manifest.schema_version !== null && manifest.schema_version > SCHEMA_VERSION) {
      throw new WorkspaceError(
        `${file}: its warehouse has schema version ${manifest.schema_version}, newer than this engine's ` +
          `${SCHEMA_VERSION}; restore it with sangloc ${manifest.engine_version} or newer`,
      );
    }
    const found = new Set(listFiles(ws.root).filter((p) => p !== MANIFEST));
    for (const f of manifest.files) {
      const path = join(ws.root, f.path);
      if (!found.delete(f.path) || statSync(path).size !== f.bytes || (await sha256File(path)) !== f.sha256) {
        throw new WorkspaceError(
          `${file}: ${f.path} is missing or differs from its checksum; the backup is damaged, use another one`,
        );
      }
    }
    if (found.size)
      throw new WorkspaceError(
        `${file}: ${[...found][0]} is not in the manifest; the backup is damaged, use another one`,
      );
    rmSync(manifestFile);
    openWorkspace(ws.root); // runs/, models/, tmp/ with owner-only modes
    for (const p of listFiles(ws.root)) chmodSync(join(ws.root, p), 0o600);
    if (manifest.latest_run && existsSync(join(ws.runDir(manifest.latest_run), 'cases.json'))) {
      symlinkSync(join('runs', manifest.latest_run), ws.latestLink);
    }
    appendAudit(ws, {
      action: 'restore',
      rows: { runs: manifest.runs.length, files: manifest.files.length },
      detail:
        `from ${basename(file)} (backup of ${manifest.created_at}, sangloc ${manifest.engine_version}, ` +
        `warehouse schema ${manifest.schema_version ?? 'none'})`,
    });
    return { workspace: ws.root, manifest };
  } catch (err) {
    // Leave nothing half-restored behind: the folder was empty (or absent) before.
    if (created) rmSync(ws.root, { recursive: true, force: true });
    else for (const n of readdirSync(ws.root)) rmSync(join(ws.root, n), { recursive: true, force: true });
    throw err;
  }
}

/** Why `file` cannot be a gzip'd tar (empty, or without the gzip magic bytes), or null when it may be one. */
function notGzipped(file: string): string | null {
  if (statSync(file).size === 0) return 'is empty';
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b ? null : 'is not a gzip-compressed tar file (.tar.gz)';
  } finally {
    closeSync(fd);
  }
}

/** tar.x, with the archive's own read errors (truncated, corrupt) said as a damaged backup, not a bug. */
async function extract(opts: Parameters<typeof tar.x>[0] & { file: string }): Promise<void> {
  try {
    await tar.x(opts);
  } catch (err) {
    const code = String((err as NodeJS.ErrnoException).code ?? '');
    if (code.startsWith('TAR_') || code.startsWith('Z_') || /zlib|unexpected end of file/i.test(String(err)))
      throw new WorkspaceError(
        `${opts.file}: the archive cannot be read to its end (${code || 'damaged'}); the backup is truncated or ` +
          `damaged, use another one`,
      );
    throw err;
  }
}

/** Hard link when possible (instant, and the file is not changing while the lock is held), else copy. */
function place(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function copyTree(from: string, to: string): void {
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const st = lstatSync(src);
    if (st.isDirectory()) copyTree(src, join(to, name));
    else if (st.isFile()) place(src, join(to, name));
  }
}

/** Files under `root`, relative, sorted (folders recursed; links and other types ignored). */
function listFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = lstatSync(join(root, rel));
    if (st.isDirectory()) out.push(...listFiles(root, rel));
    else if (st.isFile()) out.push(rel);
  }
  return out;
}

function sha256File(file: string): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('error', fail)
      .on('end', () => ok(h.digest('hex')));
  });
}
