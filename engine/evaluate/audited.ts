/**
 * Which truth persons a delivery's outcomes files name. Their cases are skipped when a list is
 * scored: finding people the office has already audited is no credit to the list.
 */
import type { SourceName } from '../ingest/sources.js';
import type { Db } from '../warehouse/db.js';
import { col, openRelation, requireColumns, type Relation } from './read.js';

export const subjectTypes = ['tax_id', 'national_id', 'phone', 'platform_shop', 'domain'] as const;
export type SubjectType = (typeof subjectTypes)[number];

/** Per subject type: distinct subjects named, how many map to at least one person, and the persons. */
export interface AuditedSubjects {
  subjects: number;
  matched: number;
  persons: number;
}

export interface AuditedSummary {
  outcomeFiles: string[];
  outcomeRows: number;
  /** Distinct (subject_type, subject_id) pairs. */
  subjects: number;
  /** Subjects that map to no truth person (or have an unknown subject_type). */
  unmatchedSubjects: number;
  /** Distinct truth persons named. */
  persons: number;
  byType: Record<SubjectType, AuditedSubjects>;
}

/**
 * SQL macros that normalise identifiers the way docs/contract.md describes, kept local so the evaluator
 * judges the engine without sharing its code. Digits only; tax codes drop a `-NNN` branch suffix;
 * phones turn `84…` into `0…`; domains lose scheme, `www.`, port and path.
 */
export const normalizeMacros =
  `
create or replace macro ev_digits(x) as regexp_replace(coalesce(x, ''), '[^0-9]', '', 'g');
create or replace macro ev_tax13(d) as case when length(d) = 13 then left(d, 10) else d end;
create or replace macro ev_tax(x) as nullif(ev_tax13(ev_digits(regexp_replace(trim(coalesce(x, '')), ` +
  `'-\\s*[0-9]{3}$', ''))), '');
create or replace macro ev_phone_d(d) as case when d like '84%' and length(d) between 11 and 12 then '0' || ` +
  `ltrim(substr(d, 3), '0') else d end;
create or replace macro ev_phone(x) as nullif(ev_phone_d(ev_digits(x)), '');
create or replace macro ev_nid(x) as nullif(ev_digits(x), '');
create or replace macro ev_domain(x) as nullif(rtrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
  lower(trim(coalesce(x, ''))), '^[a-z][a-z0-9+.-]*://', ''), '^www\\.', ''), '[/?#].*$', ''), ':[0-9]*$', ''), ` +
  `'.'), '');
`;

/** How each scanned source spells its record key and where its national id / phone sit. */
const scanned: {
  source: SourceName;
  key: (r: Relation) => string;
  nid: string[];
  phone: string[];
  keyColumns: string[];
}[] = [
  { source: 'taxpayers', key: () => `tax_id`, nid: ['national_id'], phone: ['phone'], keyColumns: ['tax_id'] },
  {
    source: 'platform_sellers',
    key: () => `platform || ':' || shop_id || ':' || period`,
    nid: ['owner_national_id'],
    phone: ['phone'],
    keyColumns: ['platform', 'shop_id', 'period'],
  },
  {
    source: 'websites',
    key: () => `ev_domain(domain)`,
    nid: ['owner_national_id'],
    phone: ['phone'],
    keyColumns: ['domain'],
  },
  {
    source: 'cod_shipments',
    key: () => `carrier || ':' || waybill`,
    nid: [],
    phone: ['sender_phone'],
    keyColumns: ['carrier', 'waybill'],
  },
];

/**
 * Builds table `audited_persons(person_id)` from the outcomes files of a delivery. Needs tables
 * `truth(source, record_key, person_id)` and the macros in `normalizeMacros`.
 *
 * @example
 *   const summary = await mapAuditedPersons(db, deliveryFiles('delivery'));
 *   summary.persons; // distinct truth persons named in outcomes*.csv
 */
export async function mapAuditedPersons(db: Db, files: Map<SourceName, string[]>): Promise<AuditedSummary> {
  const outcomeFiles = files.get('outcomes') ?? [];
  const emptyType = (): AuditedSubjects => ({ subjects: 0, matched: 0, persons: 0 });
  const byType = Object.fromEntries(subjectTypes.map((t) => [t, emptyType()])) as Record<SubjectType, AuditedSubjects>;
  if (outcomeFiles.length === 0) {
    await db.exec(`create or replace table audited_persons (person_id varchar)`);
    return { outcomeFiles, outcomeRows: 0, subjects: 0, unmatchedSubjects: 0, persons: 0, byType };
  }
  const outcomes = await openRelation(db, outcomeFiles);
  requireColumns(outcomes, ['subject_type', 'subject_id']);
  const outcomeRows = await db.value<number>(`select count(*)::bigint from ${outcomes.sql}`);
  await db.exec(`
    create or replace table subjects as
    select distinct subject_type, subject_id,
      case subject_type
        when 'tax_id' then ev_tax(subject_id)
        when 'national_id' then ev_nid(subject_id)
        when 'phone' then ev_phone(subject_id)
        when 'platform_shop' then nullif(lower(subject_id), '')
        when 'domain' then ev_domain(subject_id)
      end as norm
    from (select lower(trim(subject_type)) as subject_type, trim(subject_id) as subject_id from ${outcomes.sql})
    where subject_id is not null and subject_id <> '';
  `);

  // Rows of identity-bearing sources that carry a named national id or phone, as truth record keys.
  const scans: string[] = [];
  for (const s of scanned) {
    const sourceFiles = files.get(s.source);
    if (!sourceFiles?.length) continue;
    const rel = await openRelation(db, sourceFiles);
    if (!s.keyColumns.every((c) => rel.columns.has(c))) continue;
    const pick = (kind: 'national_id' | 'phone', columns: string[], fn: string) =>
      columns
        .filter((c) => rel.columns.has(c))
        .map(
          (c) =>
            `select '${s.source}' as source, ${s.key(rel)} as record_key, '${kind}' as ` +
            `subject_type, ${fn}(${col(rel, c)}) as norm from ${rel.sql}`,
        );
    scans.push(...pick('national_id', s.nid, 'ev_nid'), ...pick('phone', s.phone, 'ev_phone'));
    // Since July 2025 the 12-digit personal ID is the tax code: a registry row whose tax_id is that ID names it too.
    if (s.source === 'taxpayers')
      scans.push(
        `select 'taxpayers', tax_id, 'national_id', ev_tax(tax_id) from ${rel.sql} where length(ev_tax(tax_id)) = 12`,
      );
  }
  const rowMatches = scans.length
    ? `select s.subject_type, s.subject_id, t.person_id
       from (${scans.join(' union all ')}) r
       join subjects s on s.subject_type = r.subject_type and s.norm = r.norm
       join truth t on t.source = r.source and t.record_key = r.record_key`
    : `select null::varchar as subject_type, null::varchar as subject_id, null::varchar as person_id where false`;

  await db.exec(
    `
    create or replace table subject_persons as
    select distinct subject_type, subject_id, person_id from (
      select s.subject_type, s.subject_id, t.person_id from subjects s
        join truth t on t.source = 'taxpayers' and ev_tax(t.record_key) = s.norm where s.subject_type = 'tax_id'
      union all
      select s.subject_type, s.subject_id, t.person_id from subjects s
        join truth t on t.source = 'platform_sellers' and lower(regexp_replace(t.record_key, ':[^:]*$', '')) = ` +
      `s.norm where s.subject_type = 'platform_shop'
      union all
      select s.subject_type, s.subject_id, t.person_id from subjects s
        join truth t on t.source = 'websites' and ev_domain(t.record_key) = s.norm where s.subject_type = 'domain'
      union all
      ${rowMatches}
    ) where person_id is not null;
    create or replace table audited_persons as select distinct person_id from subject_persons;
  `,
  );

  const perType = await db.all<{ subject_type: string; subjects: number; matched: number; persons: number }>(`
    select s.subject_type, count(distinct s.subject_id)::bigint as subjects,
      count(distinct p.subject_id)::bigint as matched, count(distinct p.person_id)::bigint as persons
    from subjects s left join subject_persons p using (subject_type, subject_id)
    group by 1`);
  let subjects = 0,
    matched = 0;
  for (const r of perType) {
    subjects += r.subjects;
    matched += r.matched;
    if (r.subject_type in byType)
      byType[r.subject_type as SubjectType] = { subjects: r.subjects, matched: r.matched, persons: r.persons };
  }
  const persons = await db.value<number>(`select count(*)::bigint from audited_persons`);
  return { outcomeFiles, outcomeRows, subjects, unmatchedSubjects: subjects - matched, persons, byType };
}
