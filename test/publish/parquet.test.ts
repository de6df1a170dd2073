import { describe, expect, it } from 'vitest';
import { caseColumns } from '../../engine/publish/case-row.js';
import { writeCasesParquet } from '../../engine/publish/parquet.js';
import { openDb, literal } from '../../engine/warehouse/db.js';
import { caseRow, manyRows } from './fixtures.js';
import { tempDir } from './helpers.js';

const path = tempDir('parquet');

describe('writeCasesParquet', async () => {
  const rows = [
    caseRow(),
    caseRow({
      rank: 2,
      entity_id: 'E2',
      name: '=1+1',
      declared_revenue_vnd: null,
      tax_gap_vnd: -2_000_000,
      phones: [],
      province: null,
    }),
    ...manyRows(3_000).map((r) => ({ ...r, rank: r.rank + 2 })),
  ];
  const file = path('cases.parquet');
  await writeCasesParquet(file, rows);
  const db = await openDb(':memory:');
  const src = `read_parquet(${literal(file)})`;

  it('has typed columns in order', async () => {
    const described = await db.all<{ column_name: string; column_type: string }>(
      `select column_name, column_type from (describe select * from ${src})`,
    );
    expect(described.map((d) => d.column_name)).toEqual(caseColumns.map((c) => c.name));
    const typeOf = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
    expect(typeOf).toMatchObject({
      rank: 'INTEGER',
      risk_score: 'DOUBLE',
      expected_yield_vnd: 'BIGINT',
      tax_gap_vnd: 'BIGINT',
      name: 'VARCHAR',
      phones: 'VARCHAR',
      control_slice: 'INTEGER',
    });
  });

  it.each([
    { sql: 'count(*)', expected: 3_002 },
    { sql: `string_agg(rank::varchar, ',' order by rank) = string_agg(rank::varchar, ',')`, expected: true },
    { sql: `max(phones) filter (where rank = 1)`, expected: '0912345678|0987654321' },
    { sql: `max(risk_score) filter (where rank = 1)`, expected: 0.8731 },
    { sql: `max(estimated_revenue_vnd) filter (where rank = 1)`, expected: 1_250_000_000 },
    { sql: `max(name) filter (where rank = 2)`, expected: '=1+1' },
    { sql: `max(tax_gap_vnd) filter (where rank = 2)`, expected: -2_000_000 },
    {
      sql: `count(*) filter (where rank = 2 and declared_revenue_vnd is null and province is null and phones = '')`,
      expected: 1,
    },
    { sql: `len(string_split(max(sources) filter (where rank = 1), '|'))`, expected: 2 },
  ])('$sql = $expected', async ({ sql, expected }) => {
    expect(await db.value(`select ${sql} from ${src}`)).toBe(expected);
  });

  it('masks identifiers when asked', async () => {
    const masked = path('masked.parquet');
    await writeCasesParquet(masked, rows.slice(0, 1), { maskPii: true });
    expect(await db.value(`select phones from read_parquet(${literal(masked)})`)).toBe('0912***678|0987***321');
    db.close();
  });
});
