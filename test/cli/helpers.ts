/** Shared by the analyst-command tests: a workspace built from data-samples, and the CLI with its output captured. */
import { join } from 'node:path';
import { loadConfig } from '../../engine/config/index.js';
import { runCli } from '../../engine/cli/main.js';
import { silentLogger } from '../../engine/log.js';
import { packageRoot } from '../../engine/paths.js';
import { runBatch, type RunResult } from '../../engine/run.js';

export const samplesDir = join(packageRoot, 'data-samples');

/** Runs the batch over data-samples into `ws` (one thread, default config). */
export function runSamples(ws: string): Promise<RunResult> {
  return runBatch({
    input: samplesDir,
    workspace: ws,
    config: loadConfig(undefined, { threads: 1 }),
    log: silentLogger(),
  });
}

/** Runs `sangloc …` in-process; returns the exit code and what it wrote. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await runCli(args);
    return { code, out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}
