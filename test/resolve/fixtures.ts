/** Shared helpers for resolve tests: an in-memory DuckDB, a seeded generator, a small synthetic world. */
import { openDb, type Db } from '../../engine/warehouse/db.js';

export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(':memory:', { threads: 1 });
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** mulberry32: small seeded generator, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const identityColumns = [
  'source',
  'name_display',
  'name_key',
  'national_id',
  'tax_id',
  'phone',
  'email',
  'account',
  'domain',
  'province',
  'address_key',
  'shop_key',
  'holder_id',
] as const;
export type IdentityRow = Partial<Record<(typeof identityColumns)[number], string | null>>;

/** Creates `identity_records` (record_id = row index) from rows. */
export async function loadIdentityRecords(db: Db, rows: IdentityRow[], table = 'identity_records'): Promise<void> {
  await db.exec(
    `create or replace table ${table} (record_id bigint, ${identityColumns.map((c) => `${c} varchar`).join(', ')})`,
  );
  await db.appendRows(
    table,
    rows.map((r, i) => [BigInt(i), ...identityColumns.map((c) => r[c] ?? null)]),
  );
}

const surnames = [
  'nguyen',
  'nguyen',
  'nguyen',
  'tran',
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
];
const middles = ['van', 'van', 'thi', 'thi', 'duc', 'minh', 'ngoc', 'thanh', 'quang', 'huu', 'kim', 'xuan'];
const givens = [
  'hung',
  'lan',
  'anh',
  'tuan',
  'huong',
  'linh',
  'dung',
  'hoa',
  'nam',
  'mai',
  'phuong',
  'thao',
  'long',
  'son',
  'trang',
  'khanh',
  'duy',
  'ha',
  'yen',
  'quan',
  'bao',
  'vy',
  'tam',
  'hai',
  'nhung',
  'hieu',
  'loc',
  'phat',
  'tien',
  'chau',
];
const provinces = ['ha noi', 'ho chi minh', 'da nang', 'hai phong', 'can tho', 'khanh hoa', 'nghe an', 'thanh hoa'];
const streets = [
  'le loi',
  'tran hung dao',
  'nguyen trai',
  'hai ba trung',
  'ly thuong kiet',
  'quang trung',
  'phan dinh phung',
  'hung vuong',
];

function typo(s: string, r: () => number): string {
  const i = Math.floor(r() * s.length);
  return s.slice(0, i) + s.slice(i + 1);
}

export interface World {
  rows: IdentityRow[];
  /** Person of each record. */
  person: number[];
}

/**
 * A small world: `persons` people, each with 1–4 identity records carrying a random subset of
 * their identifiers (with occasional name typos and swapped word order), plus `hubRecords`
 * strangers sharing one carrier-hub phone.
 */
export function syntheticWorld(seed: number, persons: number, hubRecords = 0): World {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const rows: IdentityRow[] = [];
  const person: number[] = [];
  const sources = ['taxpayers', 'platform_sellers', 'websites', 'cod_shipments', 'bank_transactions'];
  for (let p = 0; p < persons; p++) {
    const name = `${pick(surnames)} ${pick(middles)} ${pick(givens)}`;
    const id = {
      national_id: '0' + digits(11),
      tax_id: r() < 0.5 ? digits(10) : null,
      phone: '09' + digits(8),
      phone2: '03' + digits(8),
      email: r() < 0.6 ? `${name.replaceAll(' ', '')}${digits(3)}@mail.vn` : null,
      account: 'VCB:' + digits(12),
      province: pick(provinces),
      address_key: `${1 + Math.floor(r() * 300)} ${pick(streets)}`,
    };
    const k = 1 + Math.floor(r() * 4);
    for (let j = 0; j < k; j++) {
      let nm = name;
      const u = r();
      if (u < 0.1) nm = typo(name, r);
      else if (u < 0.15) nm = name.split(' ').reverse().join(' ');
      rows.push({
        source: pick(sources),
        name_key: r() < 0.95 ? nm : null,
        national_id: r() < 0.4 ? id.national_id : null,
        tax_id: r() < 0.6 ? id.tax_id : null,
        phone: r() < 0.7 ? (r() < 0.85 ? id.phone : id.phone2) : null,
        email: r() < 0.5 ? id.email : null,
        account: r() < 0.4 ? id.account : null,
        province: r() < 0.9 ? (r() < 0.95 ? id.province : pick(provinces)) : null,
        address_key: r() < 0.6 ? id.address_key : null,
      });
      person.push(p);
    }
  }
  for (let h = 0; h < hubRecords; h++) {
    rows.push({
      source: 'cod_shipments',
      name_key: `${pick(surnames)} ${pick(middles)} ${pick(givens)}`,
      phone: '0900000000',
      province: pick(provinces),
    });
    person.push(persons + h);
  }
  return { rows, person };
}
