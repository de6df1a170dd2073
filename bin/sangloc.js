#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Two libuv pool threads (unless the caller sets another count), set before anything uses the pool:
// DuckDB runs each statement on a pool thread, and ingest loads two files at once on two connections
// (engine/ingest/load.ts, LANES): one thread would run their statements one after the other. glibc keeps
// the memory a statement freed in its thread's own arena: with the default four, each big model's memory
// stayed resident in a different arena and the next one's came on top (50,000 persons: 2.2 GB peak
// instead of 1.6; bench/README.md); two measured 1.95 GB, as one did (issue 18, sp18).
process.env.UV_THREADPOOL_SIZE ??= '2';

const main = new URL('../dist/engine/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('sangloc: not built yet; run `npm ci` (or `npm run build`) in the project folder first.\n');
  process.exit(2);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
