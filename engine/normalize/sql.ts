/**
 * The normalisers as DuckDB macros, built from the same patterns and alias lists as the TS
 * functions, so `norm_phone(x)` in SQL and `normPhone(x)` in TS always agree (test/normalize
 * runs every TS table through both).
 *
 * Performance notes (macros run over tens of millions of rows):
 * - Everything is regexp_replace / regexp_extract / translate / strip_accents; no per-row lambdas
 *   except in `province_candidates`, the address fallback.
 * - Alias lookups (`norm_bank`, `norm_province`) read constant MAPs generated from the same TS
 *   lists as the `ref_province_alias` / `ref_bank_alias` tables (the tables are for joins and
 *   reports: `ref_province_alias.alias_key = province_lookup_key(x)`). Prefer `norm_province`:
 *   it measured faster than a join on an expression key.
 * - Whether a string is a province alias key is one RE2 alternation (`is_province_key`), so the
 *   address fallback does one lookup per address, not one per candidate.
 * - regexp_replace costs about 1 µs a call; cheap match tests guard it where the common case
 *   needs no replacement.
 * - `norm_province` and `province_of_address` wrap their scalar forms (`…_row`) in a scalar
 *   subquery, which DuckDB decorrelates into one evaluation per distinct input value.
 */
import type { Db } from '../warehouse/db.js';
import { literal } from '../warehouse/db.js';
import { ACCOUNT_SEPARATORS_JS, BANK_PREFIX_PATTERN, bankAliases } from './account.js';
import { APP_STORE_PATTERN, DOMAIN_PATTERN, HOST_PATTERN, PLAY_STORE_PATTERN, SCHEME_PATTERN } from './domain.js';
import { EMAIL_PATTERN } from './email.js';
import {
  COMMA_GROUPED_PATTERN,
  CURRENCY_PATTERN,
  DOT_GROUPED_PATTERN,
  PLAIN_PATTERN,
  SCIENTIFIC_PATTERN,
} from './money.js';
import { PHONE_DIGITS_PATTERN } from './phone.js';
import {
  ADDRESS_SEPARATOR_PATTERN,
  ADDRESS_TAIL_PATTERN,
  MAX_PROVINCE_WORDS,
  PROVINCE_PREFIX_PATTERN,
  SUB_PROVINCE_PATTERN,
  currentProvinces,
  oldToCurrent,
  provinceAliases,
} from './province.js';
import { VN_SHOP_SURNAMES, VN_SURNAMES } from './name.js';
import { MST_WEIGHTS } from './tax-id.js';
import { SPACE_CLASS_JS, SPACE_CLASS_RE2 } from './text.js';

/** A JS character class (`[\u0009…]`) in RE2 syntax (`[\x{0009}…]`). */
const re2Class = (js: string) => js.replace(/\\u([0-9A-Fa-f]{4})/g, '\\x{$1}');

const L = literal;
const WS = SPACE_CLASS_RE2;
/** White space other than the plain space. */
const WS_NOT_SPACE = SPACE_CLASS_RE2.replace('\\x{0020}', '');
const ACCOUNT_SEPARATORS = re2Class(ACCOUNT_SEPARATORS_JS);
const SPACES_AND_QUOTES = re2Class(SPACE_CLASS_JS.slice(0, -1) + "']");

/** Σ wᵢdᵢ over the nine leading digits held in the integer `n` (integer arithmetic beats nine substrings). */
/** Every province alias key as one RE2 alternation (keys are `[a-z0-9]+`, nothing to escape). */
const aliasAlternation = '(?:' + [...provinceAliases.keys()].sort().join('|') + ')';

/** A DuckDB MAP literal of string pairs. */
const mapLiteral = (pairs: ReadonlyArray<readonly [string, string]>) =>
  'map {' + pairs.map(([k, v]) => `${L(k)}: ${L(v)}`).join(', ') + '}';
const provinceMap = mapLiteral([...provinceAliases]);
const bankMap = mapLiteral(Object.entries(bankAliases));

const mstSum = (n: string) => MST_WEIGHTS.map((w, i) => `(${n} // ${10 ** (8 - i)}) % 10 * ${w}`).join(' + ');

/**
 * The macro script: `create or replace macro …;` statements. Run after the reference tables
 * exist (`installNormalizeMacros` does both).
 *
 * Macros: record_key_text, text_key, name_key, norm_phone, tax_id_digits, norm_tax_id, tax_id_kind,
 * tax_id_parent, tax_id_root, mst_check_digit, mst10_valid, mst_valid, norm_national_id, norm_email,
 * norm_domain, bank_key, norm_bank, norm_account_of, norm_account, province_key, province_candidates,
 * is_province_key, province_lookup_key, province_of_key, norm_province_row, norm_province,
 * province_of_address_row, province_of_address, place_ward, pickup_place, vn_surname, vn_shop_surname, personal_name,
 * norm_money.
 */
export const normalizeMacrosSql =
  `
-- white space (incl. no-break spaces) trimmed and collapsed to one space
-- (regexp_replace costs ~1 µs a call: the replace only runs when a match test says it must)
create or replace macro ws_collapse(s) as
  case when regexp_matches(s, ${L(`^ | $|  |${WS_NOT_SPACE}`)}) then trim(regexp_replace(s, ${L(WS + '+')}, ' ` +
  `', 'g')) else s end;
-- diacritic-free lower-case matching key; strip_accents keeps đ, hence translate
-- a record key's text as every check compares it (in-file duplicates, restatements across deliveries):
-- letter case and surrounding spaces never make two records of one (ghn123 = GHN123)
create or replace macro record_key_text(s) as lower(trim(s));
create or replace macro text_key(s) as ws_collapse(lower(strip_accents(translate(s, 'đĐ', 'dD'))));
create or replace macro name_key(s) as nullif(text_key(s), '');

create or replace macro norm_phone(s) as
  '0' || nullif(regexp_extract(regexp_replace(s, '[^0-9]+', '', 'g'), ${L(PHONE_DIGITS_PATTERN)}, 1), '');

create or replace macro tax_id_digits(s) as regexp_replace(s, '[^0-9]+', '', 'g');
create or replace macro mst_check_digit(n) as 10 - (${mstSum('n')}) % 11;
create or replace macro mst10_valid(d) as
  coalesce(regexp_full_match(d, '[0-9]{10}') and mst_check_digit(try_cast(d[1:9] as bigint)) = ascii(d[10]) - ` +
  `48, false);
create or replace macro tax_id_of_digits(d) as
  case length(d) when 10 then d when 12 then d when 13 then d[1:10] || '-' || d[11:13] end;
create or replace macro norm_tax_id(s) as tax_id_of_digits(tax_id_digits(s));
create or replace macro tax_id_kind_of_digits(d) as
  case length(d) when 10 then 'mst10' when 13 then 'branch' when 12 then 'personal12' end;
create or replace macro tax_id_kind(s) as tax_id_kind_of_digits(tax_id_digits(s));
create or replace macro tax_id_parent_of_digits(d) as case when length(d) = 13 then d[1:10] end;
create or replace macro tax_id_parent(s) as tax_id_parent_of_digits(tax_id_digits(s));
-- the head-office code: the parent of a branch, the code itself otherwise
create or replace macro tax_id_root(s) as coalesce(tax_id_parent(s), norm_tax_id(s));
create or replace macro mst_valid_of_digits(d) as
  case length(d)
    when 10 then mst10_valid(d)
    when 13 then mst10_valid(d[1:10]) and d[11:13] <> '000'
    when 12 then true
    else false
  end;
create or replace macro mst_valid(s) as mst_valid_of_digits(tax_id_digits(s));

create or replace macro national_id_of_digits(d) as case when length(d) = 12 then d end;
create or replace macro norm_national_id(s) as national_id_of_digits(regexp_replace(s, '[^0-9]+', '', 'g'));

create or replace macro email_if_valid(e) as case when regexp_matches(e, ${L(EMAIL_PATTERN)}) then e end;
create or replace macro norm_email(s) as email_if_valid(regexp_replace(lower(ws_collapse(s)), '^mailto:', ''));

create or replace macro domain_if_valid(h) as case when regexp_matches(h, ${L(DOMAIN_PATTERN)}) then h end;
create or replace macro domain_of_url(t) as coalesce(
  nullif(regexp_extract(t, ${L(PLAY_STORE_PATTERN)}, 1), ''),
  nullif(regexp_extract(t, ${L(APP_STORE_PATTERN)}, 1), ''),
  domain_if_valid(regexp_replace(regexp_replace(regexp_replace(
    regexp_extract(regexp_replace(t, ${L(SCHEME_PATTERN)}, ''), ${L(HOST_PATTERN)}, 0),
    ':[0-9]*$', ''), '\\.+$', ''), '^www\\.', '')));
create or replace macro norm_domain(s) as domain_of_url(lower(ws_collapse(s)));

create or replace macro bank_key(s) as
  regexp_replace(regexp_replace(upper(strip_accents(translate(s, 'đĐ', 'dD'))), '[^A-Z0-9]+', '', ` +
  `'g'), ${L(BANK_PREFIX_PATTERN)}, '');
create or replace macro bank_of_key(k) as nullif(coalesce(map_extract_value(${bankMap}, k), k), '');
create or replace macro norm_bank_row(s) as bank_of_key(bank_key(s));
-- a scalar subquery makes DuckDB compute each distinct bank name once (a few dozen per delivery)
create or replace macro norm_bank(s) as (select norm_bank_row(s));
-- an account of a bank already normalised (nb: norm_bank of its name); norm_account(bank, acct) is
-- norm_account_of(norm_bank(bank), acct). A model of many wide rows joins its few distinct bank names
-- normalised once instead: norm_bank's subquery would hold every row in memory until they are done
create or replace macro account_of_digits(nb, a) as
  case when regexp_full_match(a, '[0-9]{6,19}') then nb || ':' || a end;
create or replace macro norm_account_of(nb, acct) as account_of_digits(nb, ` +
  `regexp_replace(acct, ${L(ACCOUNT_SEPARATORS)}, '', 'g'));
create or replace macro norm_account(bank, acct) as norm_account_of(norm_bank(bank), acct);

-- province key of text that is already a text_key: prefix dropped, letters and digits only
-- (every prefix starts with t; text of letters, digits and spaces only needs a plain replace)
create or replace macro province_compact(t) as
  case when regexp_full_match(t, '[a-z0-9 ]*') then replace(t, ' ', '') else regexp_replace(t, '[^a-z0-9]+', ` +
  `'', 'g') end;
create or replace macro province_key_of_text(t) as
  province_compact(case when starts_with(t, 't') then regexp_replace(t, ${L(PROVINCE_PREFIX_PATTERN)}, '') else t end);
-- lookup key of a province name; join ref_province_alias on alias_key = province_key(x)
create or replace macro province_key(s) as province_key_of_text(text_key(s));
-- alias keys to try for one address part (a text_key, tail dropped): its last 6, 5, … 1 words
-- ('' when the part has fewer); written out, as nested lambdas are slow in DuckDB
create or replace macro province_part_candidates(q) as
  case when q = '' or regexp_matches(q, ${L(SUB_PROVINCE_PATTERN)}) then []::varchar[]
  else [${Array.from({ length: MAX_PROVINCE_WORDS }, (_, i) => MAX_PROVINCE_WORDS - i)
    .map((n) => `province_key_of_text(regexp_extract(q, ${L(`(?:^| )((?:[^ ]+ ){${n - 1}}[^ ]+)$`)}, 1))`)
    .join(',\n        ')}]
  end;
-- the parts of an address as text keys, last part first (text_key once for the whole address)
create or replace macro address_parts(s) as
  list_reverse(string_split(text_key(regexp_replace(s, ${L(ADDRESS_SEPARATOR_PATTERN)}, ',', 'g')), ','));
-- alias keys to try for one address part as split by address_parts
create or replace macro province_part_keys(p) as
  province_part_candidates(regexp_replace(trim(p), ${L(ADDRESS_TAIL_PATTERN)}, ''));
-- alias keys to try for an address, in priority order (last part first)
create or replace macro province_candidates(s) as
  flatten(list_transform(address_parts(s), lambda p: province_part_keys(p)));
-- true when k is an alias key (one RE2 alternation over all keys: no per-row lookup)
create or replace macro is_province_key(k) as regexp_full_match(k, ${L(aliasAlternation)});
-- the alias key an address resolves to: its whole key, else the first candidate that is an
-- alias key; the last part alone is tried before all parts (coalesce evaluates lazily)
create or replace macro province_lookup_key(s) as coalesce(
  case when is_province_key(province_key(s)) then province_key(s) end,
  list_filter(province_part_keys(address_parts(s)[1]), lambda k: is_province_key(k))[1],
  list_filter(province_candidates(s), lambda k: is_province_key(k))[1]);
-- current province from an alias key: a constant map generated from the same alias list as
-- ref_province_alias (a correlated subquery here would be re-evaluated per alias row)
create or replace macro province_of_key(k) as map_extract_value(${provinceMap}, k);
-- pure scalar forms (usable inside lambdas) …
create or replace macro norm_province_row(s) as province_of_key(province_lookup_key(s));
create or replace macro province_of_address_row(s) as province_of_key(coalesce(
  list_filter(province_part_keys(address_parts(s)[1]), lambda k: is_province_key(k))[1],
  list_filter(province_candidates(s), lambda k: is_province_key(k))[1]));
-- … and the ones to use: a scalar subquery makes DuckDB compute each distinct value once
-- (40× faster on a column of repeated addresses, no slower on unique ones)
create or replace macro norm_province(s) as (select norm_province_row(s));
create or replace macro province_of_address(s) as (select province_of_address_row(s));

-- a COD parcel's pickup place as house number and street (or hamlet) and ward, without the ward's
-- kind (phường, P., xã …): the parts of an address clerks type alike (int_cod_senders.sql, and the
-- registered homes it is compared with); a numbered ward typed without a space (P.13, P13) is p13
create or replace macro place_ward(w) as nullif(case
    when regexp_matches(w, '^p[0-9]+$') then regexp_replace(w, '^p0*', '')
    else regexp_replace(w, '^(phuong|p|xa|x|thi tran|tt)[. ]+0*', '')
  end, '');
create or replace macro pickup_place(a) as nullif(concat_ws(' / ',
  nullif(name_key(split_part(replace(a, ' - ', ','), ',', 1)), ''),
  place_ward(name_key(split_part(replace(a, ' - ', ','), ',', 2)))), '');

-- A person's name (a name key: lower case, no tones) as the models read one (int_identity_records.sql,
-- mart_registry_candidates.sql): 3 to 5 words, a Vietnamese surname first (vn_surname), or a surname
-- that is also a shop word without its tones (vn_shop_surname: Đỗ / đồ, Thái, Cù, Bạch …) before Văn /
-- Thị, the middle names only people carry. The lists are engine/normalize/name.ts's.
create or replace macro vn_surname(w) as w in (${VN_SURNAMES.map(L).join(', ')});
create or replace macro vn_shop_surname(w) as w in (${VN_SHOP_SURNAMES.map(L).join(', ')});
create or replace macro personal_name(n) as
  len(string_split(n, ' ')) between 3 and 5 and (
    vn_surname(split_part(n, ' ', 1))
    or vn_shop_surname(split_part(n, ' ', 1)) and split_part(n, ' ', 2) in ('van', 'thi'));

create or replace macro money_text(s) as
  regexp_replace(lower(ws_collapse(s)), ${L(CURRENCY_PATTERN)}, '', 'g');
create or replace macro money_unparen(t) as case when t like '(%)' then '-' || t[2:-2] else t end;
create or replace macro money_value(t) as
  case
    when regexp_matches(t, ${L(SCIENTIFIC_PATTERN)}) then try_cast(t as double)
    when regexp_matches(t, ${L(DOT_GROUPED_PATTERN)}) then try_cast(replace(replace(t, '.', ''), ',', '.') as double)
    when regexp_matches(t, ${L(COMMA_GROUPED_PATTERN)}) then try_cast(replace(t, ',', '') as double)
    when regexp_matches(t, ${L(PLAIN_PATTERN)}) then try_cast(replace(t, ',', '.') as double)
  end;
create or replace macro money_round(v) as case when abs(round(v)) <= 9007199254740991 then round(v)::bigint end;
-- whole VND from money text, format inferred as normMoney(s) without options
create or replace macro norm_money(s) as
  money_round(money_value(regexp_replace(money_unparen(money_text(s)), ${L(SPACES_AND_QUOTES)}, '', 'g')));
`;

const valuesList = (rows: ReadonlyArray<readonly string[]>) =>
  rows.map((r) => '(' + r.map(L).join(', ') + ')').join(',\n  ');

/**
 * Reference tables the macros read, from the TS lists (one source of truth):
 * `ref_province(code, name)`, `ref_province_old(old_name, province)`,
 * `ref_province_alias(alias_key, province)`, `ref_bank_alias(alias_key, bank)`.
 */
export const normalizeRefTablesSql = `
create or replace table ref_province (code varchar primary key, name varchar not null);
insert into ref_province values
  ${valuesList(currentProvinces.map((p) => [p.code, p.name]))};
create or replace table ref_province_old (old_name varchar primary key, province varchar not null);
insert into ref_province_old values
  ${valuesList(Object.entries(oldToCurrent))};
create or replace table ref_province_alias (alias_key varchar primary key, province varchar not null);
insert into ref_province_alias values
  ${valuesList([...provinceAliases])};
create or replace table ref_bank_alias (alias_key varchar primary key, bank varchar not null);
insert into ref_bank_alias values
  ${valuesList(Object.entries(bankAliases))};
`;

/**
 * Creates the reference tables and the normalisation macros in `db` (idempotent).
 *
 * @example
 *   const db = await openDb(':memory:');
 *   await installNormalizeMacros(db);
 *   await db.value(`select norm_phone('+84 912 345 678')`); // '0912345678'
 */
export async function installNormalizeMacros(db: Db): Promise<void> {
  await db.exec(normalizeRefTablesSql);
  await db.exec(normalizeMacrosSql);
}
