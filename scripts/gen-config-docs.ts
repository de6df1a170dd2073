/** Writes docs/config.md from the config schema: `npm run docs:config`. */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { configReference, configReferencePath } from '../engine/config/docs.js';

writeFileSync(configReferencePath, configReference());
process.stdout.write(`wrote ${relative(process.cwd(), configReferencePath)}\n`);
