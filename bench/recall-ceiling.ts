/**
 * The pairwise recall a generated world's delivered evidence allows (bench/lib/evidence-ceiling.ts),
 * for worlds of `sangloc generate`, of bench/indep/gen.py or kept by `bench/quality.ts --keep`:
 *
 *   npx tsx bench/recall-ceiling.ts /tmp/sangloc-quality/typos-missing /tmp/indep/hub-s1
 */
import { evidenceCeiling } from './lib/evidence-ceiling.js';

const worlds = process.argv.slice(2);
if (worlds.length === 0) {
  console.error('usage: npx tsx bench/recall-ceiling.ts <world folder> [world folder…]');
  process.exit(2);
}
console.log('| world | true pairs | identifiers | own evidence | identifiers + any name |');
console.log('|---|---:|---:|---:|---:|');
for (const w of worlds) {
  const c = evidenceCeiling(w);
  console.log(
    `| ${w} | ${c.truePairs.toLocaleString('en')} | ${c.identifiers.toFixed(4)} | ${c.own.toFixed(4)} | ${c.identifiersAndNames.toFixed(4)} |`,
  );
}
