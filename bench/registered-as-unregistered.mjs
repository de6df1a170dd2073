// Registered, compliant sellers (generator truth) listed as UNREGISTERED_ABOVE_THRESHOLD in the top 100 / 500 (issue 20).
//   node bench/registered-as-unregistered.mjs WORLD_DIR WORKSPACE   (after `sangloc generate` + `sangloc run`)
// "registered" = the truth person owns an active taxpayers.csv record; "compliant" = persons.csv undeclared = 0.
import { readFileSync, readdirSync } from 'node:fs';
const [world, ws] = process.argv.slice(2);
const csv = (f) =>
  readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
const recPerson = new Map(csv(`${world}/truth/records.csv`).map(([s, k, p]) => [`${s}|${k}`, p]));
const persons = new Map(csv(`${world}/truth/persons.csv`).map(([id, und, , , pat]) => [id, { und: Number(und), pat }]));
// registered: the person owns an active registry record (truth/records.csv → taxpayers.csv status)
const tp = readFileSync(`${world}/taxpayers.csv`, 'utf8').trim().split('\n').slice(1);
const active = new Set(tp.filter((l) => l.trim().endsWith(',active')).map((l) => l.split(',')[0]));
const registered = new Set();
for (const [k, p] of recPerson) if (k.startsWith('taxpayers|') && active.has(k.slice(10))) registered.add(p);
const run = readdirSync(`${ws}/runs`).sort().at(-1);
const dir = `${ws}/runs/${run}`;
const votes = new Map();
for (const [e, s, k] of csv(`${dir}/members.csv`)) {
  const p = recPerson.get(`${s}|${k}`);
  if (!p) continue;
  const m = votes.get(e) ?? new Map();
  m.set(p, (m.get(p) ?? 0) + 1);
  votes.set(e, m);
}
const personOf = (e) => [...(votes.get(e) ?? new Map()).entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
const cases = JSON.parse(readFileSync(`${dir}/cases.json`, 'utf8'));
const out = {};
for (const K of [100, 500]) {
  const top = cases.filter((c) => c.rank <= K);
  const bad = top
    .filter((c) => c.reason_codes.includes('UNREGISTERED_ABOVE_THRESHOLD'))
    .filter((c) => {
      const p = personOf(c.entity_id);
      return p && registered.has(p) && persons.get(p)?.und === 0;
    });
  const poss = top.filter((c) => c.reason_codes.includes('POSSIBLY_REGISTERED'));
  const possOk = poss.filter((c) => {
    const p = personOf(c.entity_id);
    return p && registered.has(p);
  });
  out[`top${K}`] = {
    unregistered_but_registered_compliant: bad.length,
    unregistered_listed: top.filter((c) => c.reason_codes.includes('UNREGISTERED_ABOVE_THRESHOLD')).length,
    possibly_registered: poss.length,
    possibly_registered_truly_registered: possOk.length,
  };
  if (K === 500) out.examples = bad.slice(0, 5).map((c) => `${c.rank}:${c.entity_id}`);
  if (K === 500) out.poss_examples = possOk.slice(0, 3).map((c) => `${c.rank}:${c.entity_id}`);
}
console.log(JSON.stringify(out));
