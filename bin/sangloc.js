#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// One libuv pool thread (unless the caller sets another count), set before anything uses the pool:
// DuckDB runs each statement on a pool thread, and glibc keeps the memory a statement freed in that
// thread's own arena. With the default four, each big model's memory stayed resident in a different
// arena and the next one's came on top (50,000 persons: 2.2 GB peak instead of 1.6; bench/README.md).
process.env.UV_THREADPOOL_SIZE ??= '1';

const main = new URL('../dist/engine/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('sangloc: not built yet; run `npm ci` (or `npm run build`) in the project folder first.\n');
  process.exit(2);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
