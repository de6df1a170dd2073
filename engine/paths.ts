import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'pipelines'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the sangloc package root above ${start}`);
    dir = parent;
  }
}

/** Root of the sangloc package (works from engine/ sources and from dist/). */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const pipelinesDir = join(packageRoot, 'pipelines');
export const reportsDir = join(packageRoot, 'reports');
