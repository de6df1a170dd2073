import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

/** Engine version from package.json, recorded in every run.json. */
export const engineVersion: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;
