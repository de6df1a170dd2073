import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld, type GenerateSummary } from '../../engine/generate/index.js';
import { columnNames, sourceOfFile, type SourceName } from '../../engine/ingest/sources.js';
import { normaliseDomain } from '../../engine/generate/identifiers.js';
import { oldProvinces } from '../../engine/generate/geo.js';
import { readCsv } from './read-csv.js';

const PERSONS = 1000;
let dir: string;
let summary: GenerateSummary;

/** Independent check of the MST check digit (docs/domain.md), not the generator's own code. */
function validMst10(code: string): boolean {
  if (!/^\d{10}$/.test(code)) return false;
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = w.reduce((s, wi, i) => s + wi * Number(code[i]), 0);
  const check = 10 - (sum % 11);
  return check !== 10 && check === Number(code[9]);
}

const deliveryFiles = () => readdirSync(dir).filter((f) => sourceOfFile(f) !== undefined);
const cache = new Map<SourceName, Record<string, string>[]>();
const rowsOf = (source: SourceName) => {
  if (!cache.has(source))
    cache.set(
      source,
      deliveryFiles()
        .filter((f) => sourceOfFile(f) === source)
        .flatMap((f) => readCsv(join(dir, f)).records),
    );
  return cache.get(source)!;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sangloc-gen-'));
  summary = await generateWorld({ persons: PERSONS, seed: 7, outDir: dir, taxYear: 2025 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generated delivery', () => {
  it('writes every contract source, split sources over several files', () => {
    const sources = new Set(deliveryFiles().map((f) => sourceOfFile(f)));
    expect([...sources].sort()).toEqual([
      'bank_transactions',
      'cod_shipments',
      'declarations',
      'outcomes',
      'platform_sellers',
      'taxpayers',
      'websites',
    ]);
    expect(deliveryFiles().filter((f) => f.startsWith('cod_shipments_')).length).toBeGreaterThanOrEqual(5);
    expect(deliveryFiles().filter((f) => f.startsWith('bank_transactions_')).length).toBeGreaterThanOrEqual(5);
  });

  it('gives every file the contract header in contract order', () => {
    for (const f of deliveryFiles()) {
      const firstLine = readFileSync(join(dir, f), 'utf8').split('\n', 1)[0];
      expect(firstLine, f).toBe(columnNames(sourceOfFile(f)!).join(','));
    }
    expect(readFileSync(join(dir, 'truth/persons.csv'), 'utf8').split('\n', 1)[0]).toBe(
      'person_id,undeclared,true_revenue,true_tax_due,pattern,activity_group',
    );
    expect(readFileSync(join(dir, 'truth/records.csv'), 'utf8').split('\n', 1)[0]).toBe('source,record_key,person_id');
  });

  it('counts rows in the manifest as they are in the files', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(summary);
    expect(manifest.persons).toBe(PERSONS);
    for (const [file, rows] of Object.entries(manifest.files))
      expect(readCsv(join(dir, file)).records.length, file).toBe(rows);
  });

  it('gives every 10-digit tax code a valid check digit (branches: their parent)', () => {
    const codes = [
      ...rowsOf('taxpayers').map((r) => r.tax_id!),
      ...rowsOf('declarations').map((r) => r.tax_id!),
      ...rowsOf('platform_sellers').map((r) => r.owner_tax_id!),
      ...rowsOf('websites').map((r) => r.owner_tax_id!),
    ].filter((c) => c !== '');
    const tenDigit = codes.filter((c) => c.length !== 12).map((c) => c.replace(/-\d{3}$/, ''));
    expect(tenDigit.length).toBeGreaterThan(100);
    expect(tenDigit.filter((c) => !validMst10(c))).toEqual([]);
    expect(codes.filter((c) => !/^\d{10}(-\d{3})?$|^\d{12}$/.test(c))).toEqual([]);
    expect(codes.some((c) => c.endsWith('-001'))).toBe(true);
  });

  it('gives personal IDs 12 digits starting with an old province code', () => {
    const codes = new Set(oldProvinces.map((p) => p.code));
    const ids = rowsOf('taxpayers')
      .map((r) => r.national_id!)
      .filter((v) => v !== '');
    expect(ids.length).toBeGreaterThan(50);
    expect(ids.filter((id) => !/^\d{12}$/.test(id) || !codes.has(id.slice(0, 3)))).toEqual([]);
  });

  it('keeps source keys unique', () => {
    const keys: [SourceName, (r: Record<string, string>) => string][] = [
      ['taxpayers', (r) => r.tax_id!],
      ['declarations', (r) => `${r.tax_id}:${r.period}`],
      ['platform_sellers', (r) => `${r.platform}:${r.shop_id}:${r.period}`],
      ['websites', (r) => normaliseDomain(r.domain!)],
      ['cod_shipments', (r) => `${r.carrier}:${r.waybill}`],
      ['bank_transactions', (r) => `${r.bank}:${r.txn_id}`],
      ['outcomes', (r) => `${r.subject_type}:${r.subject_id}:${r.period}`],
    ];
    for (const [source, key] of keys) {
      const all = rowsOf(source).map(key);
      expect(new Set(all).size, source).toBe(all.length);
    }
  });

  it('covers every record of every identity source in truth/records.csv exactly once', () => {
    const truth = readCsv(join(dir, 'truth/records.csv')).records;
    const persons = new Set(readCsv(join(dir, 'truth/persons.csv')).records.map((r) => r.person_id));
    const seen = new Map<string, number>();
    for (const r of truth) {
      const k = `${r.source}|${r.record_key}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
      expect(persons.has(r.person_id)).toBe(true);
    }
    const expected: string[] = [
      ...rowsOf('taxpayers').map((r) => `taxpayers|${r.tax_id}`),
      ...rowsOf('platform_sellers').map((r) => `platform_sellers|${r.platform}:${r.shop_id}:${r.period}`),
      ...rowsOf('websites').map((r) => `websites|${normaliseDomain(r.domain!)}`),
      ...rowsOf('cod_shipments').map((r) => `cod_shipments|${r.carrier}:${r.waybill}`),
      ...rowsOf('bank_transactions').map((r) => `bank_transactions|${r.bank}:${r.txn_id}`),
    ];
    expect(seen.size).toBe(expected.length);
    expect(expected.filter((k) => seen.get(k) !== 1)).toEqual([]);
    expect(truth.length).toBe(expected.length);
  });

  it('writes bank amounts > 0 with a direction, and money as whole VND', () => {
    const rows = rowsOf('bank_transactions');
    expect(rows.length).toBeGreaterThan(1000);
    expect(rows.filter((r) => !(Number(r.amount) > 0) || !/^\d+$/.test(r.amount!))).toEqual([]);
    expect(new Set(rows.map((r) => r.direction))).toEqual(new Set(['credit', 'debit']));
    expect(rowsOf('cod_shipments').filter((r) => !/^\d+$/.test(r.cod_amount!))).toEqual([]);
    expect(rowsOf('platform_sellers').filter((r) => !/^\d+$/.test(r.gmv!))).toEqual([]);
  });

  it('gives undeclared persons tax due, and keeps their share of sellers realistic', () => {
    const persons = readCsv(join(dir, 'truth/persons.csv')).records;
    const undeclared = persons.filter((p) => p.undeclared === '1');
    expect(undeclared.filter((p) => !(Number(p.true_tax_due) > 0))).toEqual([]);
    const sellers = persons.filter((p) => p.pattern !== 'non_seller');
    const share = undeclared.length / sellers.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.42);
    for (const p of [
      'compliant',
      'unregistered',
      'under_declaring',
      'just_under_threshold',
      'split_shops',
      'stopped_filing',
      'below_threshold',
      'non_seller',
    ]) {
      expect(
        persons.some((x) => x.pattern === p),
        p,
      ).toBe(true);
    }
  });

  it('lets observed revenue exceed what undeclared sellers declared, and books split shops fully as GMV', () => {
    const truth = new Map(
      readCsv(join(dir, 'truth/records.csv')).records.map((r) => [`${r.source}|${r.record_key}`, r.person_id!]),
    );
    const observed = new Map<string, number>();
    const add = (pid: string, v: number) => observed.set(pid, (observed.get(pid) ?? 0) + v);
    const gmv = new Map<string, number>();
    for (const r of rowsOf('platform_sellers')) {
      const pid = truth.get(`platform_sellers|${r.platform}:${r.shop_id}:${r.period}`)!;
      gmv.set(pid, (gmv.get(pid) ?? 0) + Number(r.gmv));
      add(pid, Number(r.gmv));
    }
    // Delivered COD whose cash reaches the seller (not the platform), counted once.
    const platformAccounts = new Set(
      rowsOf('bank_transactions')
        .filter((r) => /SHOPEE|LAZADA|TIKTOK|TIKI|SEN DO/.test(r.counterparty_name!))
        .map((r) => r.counterparty_account),
    );
    for (const r of rowsOf('cod_shipments')) {
      if (r.status === 'delivered' && !platformAccounts.has(r.remit_account))
        add(truth.get(`cod_shipments|${r.carrier}:${r.waybill}`)!, Number(r.cod_amount));
    }
    const owner = new Map(rowsOf('taxpayers').map((r) => [r.tax_id!, truth.get(`taxpayers|${r.tax_id}`)!]));
    const declared = new Map<string, number>();
    for (const r of rowsOf('declarations')) {
      if (!r.period!.startsWith('2025')) continue;
      const pid = owner.get(r.tax_id!)!;
      declared.set(pid, (declared.get(pid) ?? 0) + Number(r.declared_revenue));
    }
    const persons = readCsv(join(dir, 'truth/persons.csv')).records;
    const hiding = persons.filter((p) =>
      ['unregistered', 'under_declaring', 'just_under_threshold', 'stopped_filing'].includes(p.pattern!),
    );
    const visible = hiding.filter((p) => (observed.get(p.person_id!) ?? 0) > (declared.get(p.person_id!) ?? 0));
    expect(hiding.length).toBeGreaterThan(50);
    expect(visible.length / hiding.length).toBeGreaterThan(0.75);
    const compliant = persons.filter((p) => p.pattern === 'compliant');
    const overstated = compliant.filter(
      (p) => (observed.get(p.person_id!) ?? 0) > 1.05 * (declared.get(p.person_id!) ?? 0),
    );
    expect(overstated.length / compliant.length).toBeLessThan(0.1);
    // Split-shop sellers sell only on marketplaces: their GMV over all shops is the whole truth.
    const splitters = persons.filter((p) => p.pattern === 'split_shops');
    expect(splitters.length).toBeGreaterThan(5);
    for (const p of splitters) expect(gmv.get(p.person_id!)).toBe(Number(p.true_revenue));
  });

  it('a compliant seller declares the whole tax year, whenever in it the seller registered', () => {
    const truth = new Map(
      readCsv(join(dir, 'truth/records.csv')).records.map((r) => [`${r.source}|${r.record_key}`, r.person_id!]),
    );
    const owner = new Map(rowsOf('taxpayers').map((r) => [r.tax_id!, truth.get(`taxpayers|${r.tax_id}`)!]));
    const registeredIn2025 = new Set(
      rowsOf('taxpayers')
        .filter((r) => r.registered_on!.startsWith('2025'))
        .map((r) => owner.get(r.tax_id!)),
    );
    const declared = new Map<string, number>();
    for (const r of rowsOf('declarations')) {
      if (!r.period!.startsWith('2025')) continue;
      const pid = owner.get(r.tax_id!)!;
      declared.set(pid, (declared.get(pid) ?? 0) + Number(r.declared_revenue));
    }
    const compliant = readCsv(join(dir, 'truth/persons.csv')).records.filter((p) => p.pattern === 'compliant');
    // compliant: the revenue, or 97–100 % of it (rounding, a small slip), in returns from registration on
    const short = compliant.filter((p) => (declared.get(p.person_id!) ?? 0) < 0.97 * Number(p.true_revenue) - 1000);
    expect(compliant.filter((p) => registeredIn2025.has(p.person_id!)).length).toBeGreaterThan(5);
    expect(short.map((p) => p.person_id)).toEqual([]);
  });

  it('plants the traps: carrier remittances, platform payouts, hub phones, platform-remitted COD', () => {
    const bank = rowsOf('bank_transactions');
    expect(bank.some((r) => /doi soat COD \d+/.test(r.description!))).toBe(true);
    expect(bank.some((r) => /SHOPEE/.test(r.counterparty_name!) && r.direction === 'credit')).toBe(true);
    expect(bank.some((r) => /luong thang/i.test(r.description!))).toBe(true);
    const cod = rowsOf('cod_shipments');
    expect(new Set(cod.map((r) => r.status))).toEqual(new Set(['delivered', 'returned', 'cancelled']));
    const byPhone = new Map<string, Set<string>>();
    for (const r of cod) {
      const digits = r.sender_phone!.replace(/\D/g, '').replace(/^84/, '0');
      if (!byPhone.has(digits)) byPhone.set(digits, new Set());
      byPhone.get(digits)!.add(r.sender_address!);
    }
    expect(Math.max(...[...byPhone.values()].map((s) => s.size))).toBeGreaterThan(5);
    const platformAccounts = new Set(
      bank.filter((r) => /SHOPEE|LAZADA|TIKTOK|TIKI/.test(r.counterparty_name!)).map((r) => r.counterparty_account),
    );
    expect(cod.some((r) => platformAccounts.has(r.remit_account))).toBe(true);
  });

  it('renders identifiers dirty as the contract lists', () => {
    const phones = rowsOf('platform_sellers').map((r) => r.phone!);
    expect(phones.some((p) => /^0\d{9}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^\+84 \d{3} \d{3} \d{3}$/.test(p))).toBe(true);
    expect(phones.some((p) => /^84-\d{3}-\d{3}-\d{3}$/.test(p))).toBe(true);
    const names = rowsOf('taxpayers').map((r) => r.name!);
    expect(names.some((n) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Z ]+$/.test(n.trim()))).toBe(true);
    const domains = rowsOf('websites').map((r) => r.domain!);
    expect(domains.some((d) => /^https?:\/\//.test(d) || /^www\./i.test(d))).toBe(true);
    const addresses = rowsOf('taxpayers').map((r) => r.address!);
    expect(addresses.some((a) => /\bP\.|\bQ\.|TP\.|Tp /.test(a))).toBe(true);
  });

  it('audits 3–8 % of sellers, mostly risk-selected, closed the following year', () => {
    const outcomes = rowsOf('outcomes');
    const sellers = readCsv(join(dir, 'truth/persons.csv')).records.filter((p) => p.pattern !== 'non_seller').length;
    expect(outcomes.length / sellers).toBeGreaterThan(0.02);
    expect(outcomes.length / sellers).toBeLessThan(0.09);
    expect(outcomes.filter((o) => o.selection === 'risk').length).toBeGreaterThan(
      outcomes.filter((o) => o.selection === 'random').length,
    );
    expect(outcomes.filter((o) => o.period !== '2025' || !o.closed_on!.startsWith('2026-'))).toEqual([]);
  });
});
