#!/usr/bin/env node
// Fails when a line of engine/ (TypeScript and SQL) is longer than 120 characters, naming each
// one as file:line (length). Part of `npm run format:check`; `npm run format` fixes most of them,
// the rest (long strings and comments) need a hand.
//   node .ci/line-length.mjs [--max 120] [folder …]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const maxAt = args.indexOf('--max');
const max = maxAt >= 0 ? Number(args.splice(maxAt, 2)[1]) : 120;
const folders = args.length ? args : ['engine'];

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|sql)$/.test(name)) yield path;
  }
}

const long = [];
for (const folder of folders) {
  for (const file of files(join(root, folder))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const length = [...line].length; // characters, not UTF-16 units or bytes: Vietnamese text
        if (length > max) long.push(`${relative(root, file)}:${i + 1} (${length})`);
      });
  }
}
if (long.length) {
  console.error(`${long.length} line(s) over ${max} characters in ${folders.join(', ')}:\n  ${long.join('\n  ')}`);
  console.error('Run `npm run format`, then shorten what is left (long strings and comments) by hand.');
  process.exit(1);
}
console.log(`line length: no line over ${max} characters in ${folders.join(', ')}`);
