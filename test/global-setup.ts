/**
 * Vitest global setup: tests that start the CLI (bin/sangloc.js) or the worker pool run the
 * compiled dist/, so dist/ is rebuilt here whenever the sources it is built from changed since the
 * last build. The check hashes the build inputs (a few ms); a rebuild is one `tsc` run (≈ 5 s).
 * `npx vitest run test/x` right after an edit therefore tests the edited code, not a stale build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { packageRoot } from '../engine/paths.js';

/** Folders and files `tsc -p tsconfig.build.json` reads (see its "include"). */
const inputs = ['engine', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const dist = join(packageRoot, 'dist');
const stampFile = join(dist, '.sources-sha256');
const lockFile = join(packageRoot, '.dist-build.lock');

function listTs(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isFile()) {
    out.push(path);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'out' && entry.name !== 'results') listTs(p, out);
    } else if (entry.name.endsWith('.ts')) out.push(p);
  }
}

/** SHA-256 over the path and content of every build input, in a fixed order. */
export function sourcesHash(): string {
  const files: string[] = [];
  for (const i of inputs) if (existsSync(join(packageRoot, i))) listTs(join(packageRoot, i), files);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) h.update(relative(packageRoot, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs `fn` holding an exclusive lock file, so two vitest processes never build at once. */
function withLock(fn: () => void): void {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than 3 minutes belongs to a build that died.
      const held = statSync(lockFile, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 180_000) rmSync(lockFile, { force: true });
      if (Date.now() > deadline)
        throw new Error(`${lockFile} is held by another build for 3 minutes; remove it if no build is running`);
      sleep(200);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/** Builds dist/ when it is missing or older than the sources. */
export function ensureDistFresh(): void {
  const want = sourcesHash();
  const have = () => (existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '');
  if (have() === want) return;
  withLock(() => {
    if (have() === want) return; // another process built it meanwhile
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const started = Date.now();
    try {
      execFileSync(process.execPath, [tsc, '-p', join(packageRoot, 'tsconfig.build.json')], {
        cwd: packageRoot,
        stdio: 'pipe',
        encoding: 'utf8',
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(
        `dist/ is older than the sources and \`tsc -p tsconfig.build.json\` failed, so tests that start the CLI or workers cannot run:\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    }
    mkdirSync(dist, { recursive: true });
    writeFileSync(stampFile, want + '\n');
    process.stderr.write(
      `global setup: rebuilt dist/ from changed sources in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  });
}

export default function setup(): void {
  ensureDistFresh();
}
