import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`attach '${process.argv[2]}' as a (read_only); attach '${process.argv[3]}' as b (read_only)`);
const t = process.argv[4];
const cols = (await c.runAndReadAll(`select column_name from information_schema.columns where table_catalog='a' and table_name='${t}' order by ordinal_position`)).getRows().map(r=>r[0]);
const key = process.argv[5];
const r = await c.runAndReadAll(`with x as (select * from a.${t} except all select * from b.${t}), y as (select * from b.${t} except all select * from a.${t}) select x.${key}, ${cols.map(c=>`case when x.${c} is distinct from y.${c} then x.${c}::varchar || ' | ' || y.${c}::varchar end as ${c}`).join(',')} from x join y using (${key}) limit 6`);
for (const row of r.getRowObjects()) console.log(JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k,v])=>v!==null)), (k,v)=>typeof v==='bigint'?Number(v):v));
