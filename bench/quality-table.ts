/**
 * The robustness table of issue 14 / 20 from two runs of bench/quality.ts: every world, before and
 * after — pairwise precision / recall (all records, identity records), recall over attributed
 * records, precision@100, yield/ceiling@100, unattributed COD rows and VND, the recall the evidence
 * allows (bench/lib/evidence-ceiling.ts: any identifier / the same over attributed rows / values and
 * names of one person only), registered compliant
 * sellers listed as unregistered in the top 100 / 500, POSSIBLY_REGISTERED right / listed (top 100).
 *
 *   npx tsx bench/quality-table.ts [bench/results/quality-before.json] [bench/results/quality-after.json]
 */
import { readFileSync } from 'node:fs';

interface Side {
  precision: number | null;
  recall: number | null;
  idPrecision: number | null;
  idRecall: number | null;
  p100: number;
  yieldToCeiling100: number;
  unattributedRows: number | null;
  unattributedVnd: number | null;
  ceiling?: { identifiers: number; own: number; attributed?: { identifiers: number; own: number } };
  truth?: {
    attributedRecall: number | null;
    atK: Array<{ k: number; registeredCompliant: number; possiblyRegistered: number; possiblyRegisteredRight: number }>;
  };
}
interface Result {
  world: { name: string };
  scored: Side;
  exact: Side;
}

const [beforeFile = 'bench/results/quality-before.json', afterFile = 'bench/results/quality-after.json'] =
  process.argv.slice(2);
const read = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { results: Result[] }).results;
const before = new Map(read(beforeFile).map((r) => [r.world.name, r]));
const after = read(afterFile);

const n = (x: number | null | undefined, d: number) => (x === null || x === undefined ? '–' : x.toFixed(d));
const pair = (a: number | null | undefined, b: number | null | undefined, d: number) => `${n(a, d)}→${n(b, d)}`;
const at = (s: Side | undefined, k: number) => s?.truth?.atK.find((x) => x.k === k);
const reg = (s: Side | undefined) =>
  `${at(s, 100)?.registeredCompliant ?? '–'}/${at(s, 500)?.registeredCompliant ?? '–'}`;
const poss = (s: Side | undefined) => {
  const a = at(s, 100);
  return a ? `${a.possiblyRegisteredRight}/${a.possiblyRegistered}` : '–';
};

const unatt = (s: Side | undefined) =>
  s && s.unattributedRows !== null && s.unattributedVnd !== null
    ? `${s.unattributedRows} / ${(s.unattributedVnd / 1e9).toFixed(1)} bn`
    : '–';

// the recall the delivered evidence allows (the after run's; the same world gives the same bounds
// but for the rows each run left unattributed)
const bound = (s: Side) =>
  s.ceiling
    ? `${n(s.ceiling.identifiers, 4)} / ${n(s.ceiling.attributed?.identifiers, 4)} / ${n(s.ceiling.attributed?.own, 4)}`
    : '–';

const lines = [
  '| world | P | R | R attributed | idP | idR | p@100 | y/c@100 | unattributed rows / VND | R bound: ids / attributed / own | reg.-compliant listed unregistered top100/top500 | POSSIBLY_REGISTERED right/listed top100 |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const r of after) {
  const b = before.get(r.world.name)?.scored;
  const a = r.scored;
  lines.push(
    `| ${r.world.name} | ${pair(b?.precision, a.precision, 4)} | ${pair(b?.recall, a.recall, 4)} | ` +
      `${pair(b?.truth?.attributedRecall, a.truth?.attributedRecall, 4)} | ${pair(b?.idPrecision, a.idPrecision, 3)} | ` +
      `${pair(b?.idRecall, a.idRecall, 3)} | ${pair(b?.p100, a.p100, 2)} | ${pair(b?.yieldToCeiling100, a.yieldToCeiling100, 3)} | ` +
      `${unatt(b)} → ${unatt(a)} | ${bound(a)} | ` +
      `${reg(b)} → ${reg(a)} | ${poss(b)} → ${poss(a)} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
