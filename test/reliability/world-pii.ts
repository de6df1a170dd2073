/**
 * The personal data of a generated world, read back from its delivery CSVs, and scanners that
 * find any of it in a text (logs, exports).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { collapseSpaces, normName, normNationalId, normPhone, normTaxId } from '../../engine/normalize/index.js';
import { readCsv } from '../generate/read-csv.js';

export interface WorldPii {
  /** Identifier digit strings (phones, national ids, tax codes, accounts): 8+ digits, as delivered and normalised. */
  numbers: Set<string>;
  /** Identifiers as delivered with their separators (`84-895-291-442`), for texts that quote them raw. */
  rawIdentifiers: Set<string>;
  /** Person and shop names (as delivered, collapsed, display form) and e-mail addresses. */
  words: Set<string>;
  /** How many of each kind were collected (for the report). */
  counts: Record<'phone' | 'national_id' | 'tax_id' | 'account' | 'name' | 'email', number>;
}

const columns = {
  phone: ['phone', 'sender_phone'],
  national_id: ['national_id', 'owner_national_id', 'holder_national_id'],
  tax_id: ['tax_id', 'owner_tax_id', 'holder_tax_id'],
  account: ['account', 'payout_account', 'remit_account', 'counterparty_account'],
  name: ['name', 'owner_name', 'sender_name', 'holder_name', 'counterparty_name', 'shop_name'],
  email: ['email'],
} as const;

const digits = (s: string) => s.replace(/[^0-9]/g, '');

/** Collects every identifier and name of the delivery CSVs in `dir` (truth/ is not read). */
export function worldPii(dir: string): WorldPii {
  const numbers = new Set<string>();
  const rawIdentifiers = new Set<string>();
  const words = new Set<string>();
  const seen: Record<keyof typeof columns, Set<string>> = {
    phone: new Set(),
    national_id: new Set(),
    tax_id: new Set(),
    account: new Set(),
    name: new Set(),
    email: new Set(),
  };
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    const { header, records } = readCsv(join(dir, file));
    for (const [kind, names] of Object.entries(columns) as [keyof typeof columns, readonly string[]][]) {
      for (const col of names.filter((c) => header.includes(c))) {
        for (const r of records) {
          const v = (r[col] ?? '').trim();
          if (!v) continue;
          seen[kind].add(v);
          if (kind === 'name') {
            const forms = [v, collapseSpaces(v), normName(v)?.display];
            for (const f of forms) if (f && f.length >= 6 && f.includes(' ')) words.add(f);
          } else if (kind === 'email') {
            words.add(v.toLowerCase());
          } else {
            const norm =
              kind === 'phone'
                ? normPhone(v)
                : kind === 'national_id'
                  ? normNationalId(v)
                  : kind === 'tax_id'
                    ? normTaxId(v)?.taxId
                    : null;
            for (const f of [digits(v), norm ? digits(norm) : null]) if (f && f.length >= 8) numbers.add(f);
            if (norm?.includes('-')) for (const part of norm.split('-')) if (part.length >= 8) numbers.add(part);
            if (v.length >= 8) rawIdentifiers.add(v);
          }
        }
      }
    }
  }
  const counts = Object.fromEntries(Object.entries(seen).map(([k, s]) => [k, s.size])) as WorldPii['counts'];
  return { numbers, rawIdentifiers, words, counts };
}

/**
 * Every piece of the world's personal data found in `text`: digit runs equal to an identifier
 * (so `0912***678` does not count), identifiers as delivered, names and e-mails.
 *
 * @example findPii(stderr, pii) // [] when the log is clean
 */
export function findPii(text: string, pii: WorldPii, opts: { numbersOnly?: boolean } = {}): string[] {
  const hits = new Set<string>();
  for (const run of text.match(/[0-9]{8,}/g) ?? []) if (pii.numbers.has(run)) hits.add(run);
  if (!opts.numbersOnly) {
    for (const v of pii.rawIdentifiers) if (text.includes(v)) hits.add(v);
    const lower = text.toLowerCase();
    for (const w of pii.words) if (lower.includes(w.toLowerCase())) hits.add(w);
  }
  return [...hits].sort();
}
