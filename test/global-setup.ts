/**
 * Vitest global setup: tests that start the CLI (bin/sangloc.js) or the worker pool run the
 * compiled dist/, so dist/ is rebuilt here whenever the sources it is built from changed since the
 * last build (the stamp of scripts/dist-stamp.ts, which `npm run build` writes too). The check
 * hashes the build inputs (a few ms); a rebuild is one incremental `tsc` run (a few seconds).
 * `npx vitest run test/x` right after an edit therefore tests the edited code, not a stale build.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../engine/paths.js';
import { readStamp, sourcesHash, writeStamp } from '../scripts/dist-stamp.js';

const lockFile = join(packageRoot, '.dist-build.lock');

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
  if (readStamp() === want) return;
  withLock(() => {
    if (readStamp() === want) return; // another process built it meanwhile
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
    writeStamp(want);
    process.stderr.write(
      `global setup: rebuilt dist/ from changed sources in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  });
}

export default function setup(): void {
  ensureDistFresh();
}
