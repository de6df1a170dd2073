/**
 * Linking benchmark: a seeded synthetic world of identity records built in DuckDB (about five
 * records per person, noisy names, missing identifiers, second phones, carrier-hub phones), then
 * `resolveIdentities` with the default spec. Prints time per step, pair counts, pairwise precision
 * and recall against the known persons, and the ratio to a reference measured in the same run
 * (one self-join of the records on phone).
 *
 *   npx tsx bench/link.ts [--persons 200000] [--seed 1] [--threads 2]
 */
import { parseArgs } from 'node:util';
import { silentLogger } from '../engine/log.js';
import { resolveIdentities } from '../engine/resolve/identity.js';
import { openDb, type Db } from '../engine/warehouse/db.js';

const { values } = parseArgs({
  options: { persons: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' } },
});
const persons = Number(values.persons ?? 200_000);
const seed = Number(values.seed ?? 1);
const threads = Number(values.threads ?? 2);

const surnames = [
  'nguyen',
  'tran',
  'le',
  'pham',
  'hoang',
  'huynh',
  'phan',
  'vu',
  'vo',
  'dang',
  'bui',
  'do',
  'ho',
  'ngo',
  'duong',
  'ly',
  'truong',
  'dinh',
  'mai',
  'trinh',
];
const surnameShare = [38, 11, 9.5, 7, 5.1, 5, 4.5, 3.9, 3, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 1, 0.7, 0.6, 0.5];
const middles = [
  'van',
  'thi',
  'duc',
  'minh',
  'ngoc',
  'thanh',
  'quang',
  'huu',
  'kim',
  'xuan',
  'hoang',
  'anh',
  'gia',
  'bao',
  'thu',
  'cong',
  'dinh',
  'hong',
  'phuong',
  'tuan',
];
const givens = (
  'hung lan anh tuan huong linh dung hoa nam mai phuong thao long son trang khanh duy ha yen quan bao vy tam hai nhung hieu loc phat tien chau ' +
  'binh cuong dat giang hanh hoang huy khoa kien lam loan luan minh nga ngan nghia nhan nhi oanh phong phuc phu quang quynh sang tai tan thang thanh ' +
  'thinh thu thuy tinh toan trung tu tung uyen van viet vinh xuan y chi diep dao dieu hau hien hoai hop khai khang lien luong my nhat'
).split(' ');
const provinces = 34;

/** Persons → records, all in SQL with hash-based (seeded, deterministic) choices. */
async function makeWorld(db: Db): Promise<number> {
  const cum: number[] = [];
  surnameShare.reduce((s, x, i) => ((cum[i] = s + x), s + x), 0);
  const total = cum[cum.length - 1]!;
  const surnameCase = cum.map((c, i) => `when h < ${c / total} then '${surnames[i]}'`).join(' ');
  const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
  await db.exec(`set variable seed = ${seed}`);
  await db.exec(`
    create or replace table persons as
    select p,
      (select case ${surnameCase} else 'nguyen' end from (select (hash(p, getvariable('seed'), 's') % 1000000) / 1000000.0 as h)) as surname,
      ${list(middles)}[(1 + hash(p, getvariable('seed'), 'm') % ${middles.length})::bigint] as middle,
      ${list(givens)}[(1 + hash(p, getvariable('seed'), 'g') % ${givens.length})::bigint] as given,
      lpad((hash(p, getvariable('seed'), 'nid') % 1000000000000)::varchar, 12, '0') as national_id,
      case when hash(p, getvariable('seed'), 'hastax') % 2 = 0 then lpad((hash(p, getvariable('seed'), 'tax') % 10000000000)::varchar, 10, '0') end as tax_id,
      '09' || lpad((hash(p, getvariable('seed'), 'ph') % 100000000)::varchar, 8, '0') as phone,
      '03' || lpad((hash(p, getvariable('seed'), 'ph2') % 100000000)::varchar, 8, '0') as phone2,
      'BANK:' || lpad((hash(p, getvariable('seed'), 'acc') % 1000000000000)::varchar, 12, '0') as account,
      'p' || p || '@mail.vn' as email,
      'province ' || (hash(p, getvariable('seed'), 'prov') % ${provinces}) as province,
      (1 + hash(p, getvariable('seed'), 'no') % 400) || ' street ' || (hash(p, getvariable('seed'), 'st') % 500) as address_key
    from range(${persons}) t(p)`);
  await db.exec(`
    create or replace table identity_records as
    with recs as (
      select p.*, j, (hash(p.p, j, getvariable('seed'), 'r') % 1000) / 1000.0 as r1, (hash(p.p, j, getvariable('seed'), 'q') % 1000) / 1000.0 as r2
      from persons p, range(1 + (hash(p.p, getvariable('seed'), 'k') % 9)::bigint) t(j)
    ), hubs as (
      select ${persons} + range as p, range as j from range(${Math.round(persons / 50)})
    ), rows as (
      select p as person, j, 'x' as source,
        case when r1 < 0.05 then null
             when r1 < 0.12 then surname || ' ' || middle || ' ' || left(given, length(given) - 1)
             when r1 < 0.16 then given || ' ' || surname || ' ' || middle
             else surname || ' ' || middle || ' ' || given end as name_key,
        case when r2 < 0.4 then national_id end as national_id,
        case when r2 > 0.3 then tax_id end as tax_id,
        case when r1 > 0.25 then (case when r2 < 0.85 then phone else phone2 end) end as phone,
        case when (r1 * 7) % 1 < 0.4 then email end as email,
        case when (r2 * 11) % 1 < 0.4 then account end as account,
        case when r2 < 0.92 then province end as province,
        case when (r1 * 13) % 1 < 0.6 then address_key end as address_key
      from recs
      union all
      -- carrier hubs: 50 senders per hub phone, strangers otherwise
      select p, j, 'cod_shipments',
        ${list(surnames)}[(1 + hash(p, 's2') % ${surnames.length})::bigint] || ' ' || ${list(middles)}[(1 + hash(p, 'm2') % ${middles.length})::bigint] || ' ' || ${list(givens)}[(1 + hash(p, 'g2') % ${givens.length})::bigint],
        null, null, '0900' || lpad((j % ${Math.max(1, Math.round(persons / 2500))})::varchar, 6, '0'), null, null,
        'province ' || (hash(p, 'prov2') % ${provinces}), null
      from hubs
    )
    select (row_number() over (order by person, j) - 1)::bigint as record_id, * exclude (j) from rows`);
  return (await db.value<number>('select count(*)::bigint from identity_records'))!;
}

async function main() {
  const db = await openDb(':memory:', { threads, memoryLimit: '8GB' });
  let t = performance.now();
  const records = await makeWorld(db);
  const genMs = performance.now() - t;

  t = performance.now();
  await db.value(
    `select count(*) from identity_records l join identity_records r on l.phone = r.phone and l.record_id < r.record_id`,
  );
  const refMs = performance.now() - t;

  t = performance.now();
  const r = await resolveIdentities(db, { seed, log: silentLogger() });
  const linkMs = performance.now() - t;

  // Pairwise precision / recall of the clusters against the persons.
  const q = await db.one<{ tp: number; pred: number; truth: number }>(`
    with c as (select i.person, k.cluster_id from identity_records i join resolve_clusters k using (record_id)),
    pc as (select person, cluster_id, count(*)::double as n from c group by all),
    cc as (select cluster_id, count(*)::double as n from c group by all),
    pp as (select person, count(*)::double as n from c group by all)
    select (select sum(n * (n - 1) / 2) from pc) as tp, (select sum(n * (n - 1) / 2) from cc) as pred, (select sum(n * (n - 1) / 2) from pp) as truth`);
  const candidatePairs = r.weights.candidate_pairs;
  db.close();
  const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `persons ${persons.toLocaleString('en')}, identity records ${records.toLocaleString('en')} (generated in ${fmt(genMs)}), threads ${threads}`,
  );
  console.log(
    `candidate pairs ${candidatePairs.toLocaleString('en')}, links ${r.links.toLocaleString('en')}, kept ${r.keptLinks.toLocaleString('en')}, bridges cut ${r.bridgesCut}, entities ${r.clusters.toLocaleString('en')}`,
  );
  console.log(
    `steps: ${Object.entries(r.timings)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}`,
  );
  console.log(
    `resolveIdentities ${fmt(linkMs)}; reference (phone self-join) ${fmt(refMs)}; ratio ${(linkMs / refMs).toFixed(1)}×`,
  );
  console.log(`pairwise precision ${(q!.tp / q!.pred).toFixed(4)}, recall ${(q!.tp / q!.truth).toFixed(4)}`);
}

await main();
