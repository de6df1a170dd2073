/**
 * How much pairwise recall the delivered evidence allows at all, from the generator's truth
 * (truth/records.csv) and the delivered files alone — never from the engine (its normalisers, its
 * identity records, its runs). Issue 14 asks recall ≥ 0.96 on every world *and* merges explained
 * only by evidence that names the person; on some worlds the truth gives one person records that
 * share nothing with the rest of that person's records, and no linker can join them without a
 * guess. These bounds say how far a world's recall can go, so the engine's recall is read against
 * what was reachable:
 *
 * - `identifiers`: a person's rows joined (transitively) through any value they share — national ID,
 *   tax code, phone, e-mail, account, shop, website, and the address as written (the pickup place
 *   on a warehouse's waybill may be the seller's only trace) — however many other people carry the
 *   same value (a warehouse's phone, a marketplace's collection account, a family phone, a depot).
 *   Generous: a linker that trusted every shared value would also merge other people through them;
 * - `own`: the same through values that name this person only (carried by no other person's rows
 *   in the delivery), and full names carried by no other person — the evidence issue 14 lets a
 *   merge rest on. A linker also uses values shared by two or three people when other fields agree
 *   (a family phone with the same name), so it can pass this bound a little;
 * - `identifiersAndNames`: `identifiers` plus any full name a person's rows share (namesakes
 *   ignored): the most any linker could reach by also linking on names alone.
 *
 * An address matches only as written (letters without diacritics, digits; `P.` and `Phường` differ),
 * an identifier with a typo matches nothing here (the engine's typo-tolerant joins may pass these
 * bounds by that much); rows of no truth person are left out; the weighing is pairwise recall's (a
 * person with n rows makes n(n−1)/2 true pairs).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface EvidenceCeiling {
  /** true pairs (rows of one truth person) */
  truePairs: number;
  identifiers: number;
  own: number;
  identifiersAndNames: number;
}

type Kind = 'id' | 'tax' | 'phone' | 'email' | 'account' | 'shop' | 'domain' | 'address' | 'name';

/** The identifier columns of each source (docs/contract.md) and the record key of a row. */
const sources: Record<string, { key: (r: Record<string, string>) => string; values: [Kind, string][] }> = {
  taxpayers: {
    key: (r) => (r.tax_id ?? '').trim(),
    values: [
      ['tax', 'tax_id'],
      ['id', 'national_id'],
      ['phone', 'phone'],
      ['email', 'email'],
      ['address', 'address'],
      ['name', 'name'],
    ],
  },
  platform_sellers: {
    key: (r) => `${r.platform}:${r.shop_id}:${r.period}`,
    values: [
      ['shop', 'shop'],
      ['id', 'owner_national_id'],
      ['tax', 'owner_tax_id'],
      ['phone', 'phone'],
      ['email', 'email'],
      ['account', 'payout_account'],
      ['address', 'address'],
      ['name', 'owner_name'],
    ],
  },
  websites: {
    key: (r) => domainOf(r.domain ?? ''),
    values: [
      ['domain', 'domain'],
      ['tax', 'owner_tax_id'],
      ['id', 'owner_national_id'],
      ['phone', 'phone'],
      ['email', 'email'],
      ['address', 'address'],
      ['name', 'owner_name'],
    ],
  },
  cod_shipments: {
    key: (r) => `${r.carrier}:${r.waybill}`,
    values: [
      ['phone', 'sender_phone'],
      ['account', 'remit_account'],
      ['address', 'sender_address'],
      ['name', 'sender_name'],
    ],
  },
  bank_transactions: {
    key: (r) => `${r.bank}:${r.txn_id}`,
    values: [
      ['account', 'account'],
      ['id', 'holder_national_id'],
      ['tax', 'holder_tax_id'],
      ['name', 'holder_name'],
    ],
  },
};

const domainOf = (d: string) =>
  d
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[:/].*$/, '');

/** A value as evidence: digits for numbers (a phone's +84 as 0), lower case for the rest; '' when too short to name anyone. */
export function evidenceValue(kind: Kind, raw: string | undefined): string {
  const s = (raw ?? '').trim();
  if (!s) return '';
  switch (kind) {
    case 'phone': {
      let d = s.replace(/\D/g, '');
      if (d.startsWith('84') && d.length === 11) d = `0${d.slice(2)}`;
      return d.length >= 9 ? d : '';
    }
    case 'id':
    case 'account': {
      const d = s.replace(/\D/g, '');
      return d.length >= 6 ? d : '';
    }
    case 'tax': {
      // a branch (`-001`) is the same taxpayer's
      const d = s.split('-')[0]!.replace(/\D/g, '');
      return d.length >= 10 ? d : '';
    }
    case 'email':
      return s.toLowerCase();
    case 'domain':
      return domainOf(s);
    case 'shop':
      return s;
    case 'address':
    case 'name':
      return s
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .replace(/[đĐ]/g, 'd')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
  }
}

export interface Row {
  person: number;
  values: string[];
  /** `source|record_key` */
  key: string;
}

/** Recall bounds of `rows` (each: its truth person and its evidence values `kind|value`). */
export function ceilingOf(rows: Row[]): EvidenceCeiling {
  const persons = new Map<number, number>();
  for (const r of rows) persons.set(r.person, (persons.get(r.person) ?? 0) + 1);
  let truePairs = 0;
  for (const n of persons.values()) truePairs += (n * (n - 1)) / 2;
  // how many distinct persons carry each value
  const carriers = new Map<string, number | -1>();
  for (const r of rows)
    for (const v of r.values) {
      const c = carriers.get(v);
      if (c === undefined) carriers.set(v, r.person);
      else if (c !== r.person) carriers.set(v, -1);
    }
  const recall = (use: (v: string) => boolean) => {
    const parent = new Int32Array(rows.length).map((_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]!]!;
        x = parent[x]!;
      }
      return x;
    };
    const first = new Map<string, number>();
    rows.forEach((r, i) => {
      for (const v of r.values) {
        if (!use(v)) continue;
        const key = `${r.person}\u0000${v}`;
        const f = first.get(key);
        if (f === undefined) first.set(key, i);
        else parent[find(i)] = find(f);
      }
    });
    const size = new Map<number, number>();
    rows.forEach((_, i) => {
      const g = find(i);
      size.set(g, (size.get(g) ?? 0) + 1);
    });
    let pairs = 0;
    for (const n of size.values()) pairs += (n * (n - 1)) / 2;
    return truePairs ? pairs / truePairs : 1;
  };
  const isName = (v: string) => v.startsWith('name|');
  return {
    truePairs,
    identifiers: recall((v) => !isName(v)),
    own: recall((v) => carriers.get(v) !== -1),
    identifiersAndNames: recall(() => true),
  };
}

/** Every delivered row of a truth person, with its evidence values (`kind|value`) and `source|record_key`. */
export function evidenceRows(worldDir: string): Row[] {
  const parseCsv = (file: string) =>
    parse(readFileSync(file, 'utf8'), { columns: true, bom: true, relax_column_count: true }) as Record<
      string,
      string
    >[];
  const personOf = new Map<string, number>();
  const ids = new Map<string, number>();
  for (const r of parseCsv(join(worldDir, 'truth', 'records.csv'))) {
    let p = ids.get(r.person_id!);
    if (p === undefined) ids.set(r.person_id!, (p = ids.size));
    personOf.set(`${r.source}|${r.record_key}`, p);
  }
  const rows: Row[] = [];
  const files = readdirSync(worldDir).filter((f) => f.endsWith('.csv'));
  for (const [source, spec] of Object.entries(sources)) {
    for (const f of files.filter((x) => x === `${source}.csv` || x.startsWith(`${source}_`))) {
      const path = join(worldDir, f);
      for (const r of parseCsv(path)) {
        const person = personOf.get(`${source}|${spec.key(r)}`);
        if (person === undefined) continue;
        const values: string[] = [];
        for (const [kind, col] of spec.values) {
          const v = evidenceValue(kind, col === 'shop' ? `${r.platform}:${r.shop_id}` : r[col]);
          if (v) values.push(`${kind}|${v}`);
        }
        rows.push({ person, values, key: `${source}|${spec.key(r)}` });
      }
    }
  }
  return rows;
}

/**
 * The bounds of a generated world folder (the delivery's CSV files and truth/records.csv); with
 * `attributed` (the `source|record_key` of every row a run put in an entity: members.csv), also the
 * bounds once the rows the run left unattributed on purpose are taken as joining nothing.
 */
export function evidenceCeiling(
  worldDir: string,
  attributed?: Set<string>,
): EvidenceCeiling & { attributed?: EvidenceCeiling } {
  const rows = evidenceRows(worldDir);
  const all = ceilingOf(rows);
  if (!attributed) return all;
  return { ...all, attributed: ceilingOf(rows.map((r) => (attributed.has(r.key) ? r : { ...r, values: [] }))) };
}

/** The `source|record_key` of every row in a run's members.csv (a formula-looking key's `'` taken off). */
export function attributedRows(membersCsv: string): Set<string> {
  const rows = parse(readFileSync(membersCsv, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
  return new Set(rows.map((r) => `${r.source}|${(r.record_key ?? '').replace(/^'/, '')}`));
}
