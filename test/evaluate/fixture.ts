/**
 * A tiny generated delivery + truth + published run, small enough to score by hand.
 * The expected figures in evaluate.test.ts are worked out from the comments here.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BOM = '\uFEFF';

const csv = (rows: string[][]): string => rows.map((r) => r.join(',')).join('\n') + '\n';

// person, undeclared, true_tax_due. Audited (named in outcomes): p04 p05 p06 p07 p08.
// Eligible: p01 p02 p03 p09 p10; undeclared among them p01 (100) p02 (50) p09 (10) → 160.
export const persons = [
  ['person_id', 'undeclared', 'true_revenue', 'true_tax_due', 'pattern'],
  ['p01', '1', '10000', '100', 'multi_shop'],
  ['p02', '1', '5000', '50', 'website'],
  ['p03', '0', '100', '0', 'compliant'],
  ['p04', '1', '3000', '30', 'branch'],
  ['p05', '1', '2000', '20', 'shop'],
  ['p06', '0', '100', '0', 'compliant'],
  ['p07', '1', '8000', '80', 'website'],
  ['p08', '1', '4000', '40', 'shop'],
  ['p09', '1', '1000', '10', 'cod'],
  ['p10', '0', '100', '0', 'compliant'],
];

export const records = [
  ['source', 'record_key', 'person_id'],
  ['taxpayers', '0101234567', 'p01'],
  ['taxpayers', '0109999999-001', 'p04'],
  ['platform_sellers', 'shopee:S1:2026-01', 'p01'],
  ['platform_sellers', 'shopee:S1:2026-02', 'p01'],
  ['platform_sellers', 'lazada:L2:2026-01', 'p02'],
  ['platform_sellers', 'tiki:T3:2026-01', 'p05'],
  ['platform_sellers', 'shopee:S8:2026-01', 'p08'],
  ['websites', 'shop-p2.vn', 'p02'],
  ['websites', 'p7site.com', 'p07'],
  ['cod_shipments', 'ghn:W1', 'p01'],
  ['cod_shipments', 'ghn:W2', 'p03'],
  ['cod_shipments', 'ghtk:W3', 'p06'],
  ['cod_shipments', 'ghn:W9', 'p09'],
  ['bank_transactions', 'VCB:T1', 'p02'],
  ['bank_transactions', 'VCB:T2', 'p03'],
  ['bank_transactions', 'VCB:T10', 'p10'],
];

// Entities. E1 mixes p01 ×3 with p03's bank credit; E6 holds only a record unknown to the truth;
// E7 ties p06/p07 1–1 (→ p06, the smaller id); E9 is a second entity of p01.
// VCB:T1 (p02) and ghn:W9 (p09) reach no entity: unlinked singletons.
export const members = [
  ['entity_id', 'source', 'record_key'],
  ['E1', 'taxpayers', '0101234567'],
  ['E1', 'platform_sellers', 'shopee:S1:2026-01'],
  ['E1', 'platform_sellers', 'shopee:S1:2026-02'],
  ['E1', 'bank_transactions', 'VCB:T2'],
  ['E2', 'platform_sellers', 'lazada:L2:2026-01'],
  ['E2', 'websites', 'shop-p2.vn'],
  ['E3', 'platform_sellers', 'tiki:T3:2026-01'],
  ['E4', 'cod_shipments', 'ghn:W2'],
  ['E5', 'taxpayers', '0109999999-001'],
  ['E6', 'declarations', '0100000000:2026'],
  ['E7', 'websites', 'p7site.com'],
  ['E7', 'cod_shipments', 'ghtk:W3'],
  ['E8', 'platform_sellers', 'shopee:S8:2026-01'],
  ['E9', 'cod_shipments', 'ghn:W1'],
  ['E10', 'bank_transactions', 'VCB:T10'],
];

// Rank order: E5 (p04, audited: skip), E1 (p01 hit), E6 (unmapped), E3 (p05 audited: skip),
// E9 (p01 again: duplicate), E4 (p03 compliant), E2 (p02 hit), E7 (p06 audited: skip),
// E10 (p10 compliant, control slice), E8 (p08 audited: skip).
export const cases = [
  ['rank', 'entity_id', 'risk_score', 'expected_yield_vnd', 'control_slice'],
  ['1', 'E5', '0.99', '900', ''],
  ['2', 'E1', '0.95', '800', ''],
  ['3', 'E6', '0.90', '700', ''],
  ['4', 'E3', '0.85', '600', ''],
  ['5', 'E9', '0.80', '500', ''],
  ['6', 'E4', '0.70', '400', ''],
  ['7', 'E2', '0.60', '300', ''],
  ['8', 'E7', '0.50', '200', ''],
  ['9', 'E10', '0.10', '100', '1'],
  ['10', 'E8', '0.05', '50', ''],
];

// Outcomes name: p04 by its parent tax code; p05 by platform:shop; p07 by a dirty URL;
// p06 by a +84 phone found on a COD parcel; p08 by a national id found on a platform row.
// One tax code matches nobody. Split over two files, the first with a BOM and upper-case headers.
const outcomesA = [
  ['SUBJECT_TYPE', 'Subject_ID', 'PERIOD', 'RESULT'],
  ['tax_id', '010-999-9999', '2025', 'undeclared'],
  ['platform_shop', 'tiki:T3', '2025', 'undeclared'],
  ['domain', 'https://www.P7site.com/shop?x=1', '2025', 'compliant'],
];
const outcomesB = [
  ['subject_type', 'subject_id', 'period', 'result'],
  ['phone', '+84 912 000 006', '2025', 'compliant'],
  ['national_id', '079200000008', '2025', 'undeclared'],
  ['tax_id', '0000000000', '2025', 'compliant'],
];

const codShipments = [
  ['carrier', 'waybill', 'sender_name', 'sender_phone', 'picked_up_on', 'cod_amount', 'status'],
  ['ghn', 'W1', 'A', '0911000001', '2026-01-02', '100000', 'delivered'],
  ['ghn', 'W2', 'C', '0911000003', '2026-01-02', '100000', 'delivered'],
  ['ghtk', 'W3', 'F', '0912 000 006', '2026-01-02', '100000', 'delivered'],
  ['ghn', 'W9', 'I', '0911000009', '2026-01-02', '100000', 'delivered'],
];
const platformSellers = [
  ['platform', 'shop_id', 'owner_national_id', 'phone', 'period', 'gmv'],
  ['shopee', 'S1', '001200000001', '0911000001', '2026-01', '100'],
  ['shopee', 'S1', '001200000001', '0911000001', '2026-02', '100'],
  ['lazada', 'L2', '', '', '2026-01', '100'],
  ['tiki', 'T3', '', '', '2026-01', '100'],
  ['shopee', 'S8', '079 2000 00008', '', '2026-01', '100'],
];
const taxpayers = [
  ['tax_id', 'name', 'national_id', 'phone'],
  ['0101234567', 'A', '001200000001', '0911000001'],
  ['0109999999-001', 'D', '', ''],
];

export interface Fixture {
  root: string;
  delivery: string;
  truth: string;
  workspace: string;
  run: string;
}

export interface FixtureOptions {
  casesBom?: boolean;
  members?: string[][];
  cases?: string[][];
  outcomes?: boolean;
}

/** Writes the delivery (with truth/) and a workspace with runs/r1 into a fresh temp dir. */
export function writeFixture(o: FixtureOptions = {}): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'sangloc-eval-test-'));
  const delivery = join(root, 'delivery');
  const truth = join(delivery, 'truth');
  const workspace = join(root, 'ws');
  const run = join(workspace, 'runs', 'r1');
  for (const d of [truth, run]) mkdirSync(d, { recursive: true });
  writeFileSync(join(truth, 'persons.csv'), csv(persons));
  writeFileSync(join(truth, 'records.csv'), csv(records));
  writeFileSync(join(delivery, 'taxpayers.csv'), csv(taxpayers));
  writeFileSync(join(delivery, 'platform_sellers.csv'), csv(platformSellers));
  writeFileSync(join(delivery, 'cod_shipments_ghn.csv'), csv(codShipments));
  if (o.outcomes !== false) {
    writeFileSync(join(delivery, 'outcomes.csv'), BOM + csv(outcomesA));
    writeFileSync(join(delivery, 'outcomes_2026.csv'), csv(outcomesB));
  }
  writeFileSync(join(run, 'cases.csv'), (o.casesBom ? BOM : '') + csv(o.cases ?? cases));
  writeFileSync(join(run, 'members.csv'), csv(o.members ?? members));
  return { root, delivery, truth, workspace, run };
}
