/**
 * The pairwise recall a generated world's delivered evidence allows (bench/lib/evidence-ceiling.ts),
 * for worlds of `sangloc generate`, of bench/indep/gen.py or kept by `bench/quality.ts --keep`; a
 * run folder after a world (its members.csv) adds the bound over the rows that run attributed:
 *
 *   npx tsx bench/recall-ceiling.ts /tmp/sangloc-quality/typos-missing /tmp/indep/hub-s1 /tmp/ws/latest
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { attributedRows, evidenceCeiling } from './lib/evidence-ceiling.js';

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: npx tsx bench/recall-ceiling.ts <world folder> [run folder] [<world folder> [run folder]…]');
  process.exit(2);
}
console.log(
  '| world | true pairs | identifiers | over the rows the run attributed | own evidence | identifiers + any name |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (let i = 0; i < args.length; i++) {
  const world = args[i]!;
  const run = args[i + 1] && existsSync(join(args[i + 1]!, 'members.csv')) ? args[++i] : undefined;
  const c = evidenceCeiling(world, run ? attributedRows(join(run, 'members.csv')) : undefined);
  console.log(
    `| ${world} | ${c.truePairs.toLocaleString('en')} | ${c.identifiers.toFixed(4)} | ` +
      `${c.attributed ? c.attributed.identifiers.toFixed(4) : '–'} | ${c.own.toFixed(4)} | ${c.identifiersAndNames.toFixed(4)} |`,
  );
}
