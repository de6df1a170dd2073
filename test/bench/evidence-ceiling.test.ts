import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attributedRows, evidenceCeiling, evidenceValue } from '../../bench/lib/evidence-ceiling.js';
import { tempDir, writeFiles } from '../helpers.js';

// Three people: A (a registry record, two accounts, a parcel of her own and one a warehouse booked
// from her home), B and C (parcels the warehouse booked under its own name and phone from its depot,
// nothing of theirs on them). 17 true pairs: A's 6 rows make 15, B's and C's 2 rows one each.
function world(): string {
  const dir = tempDir('sangloc-ceiling-');
  writeFiles(dir, {
    'taxpayers.csv':
      'tax_id,taxpayer_type,name,national_id,phone,email,address,ward,province,activity_group,registered_on,status\n' +
      '0101234567,individual,Nguyễn Văn An,001090000001,0912345678,,"1 Lê Lợi, Hà Nội",,Hà Nội,goods,2023-01-02,active\n',
    'bank_transactions_vcb.csv':
      'bank,account,holder_name,holder_national_id,holder_tax_id,txn_id,booked_at,amount,direction,' +
      'counterparty_bank,counterparty_account,counterparty_name,description\n' +
      'VCB,111111111,NGUYEN VAN AN,001090000001,,T1,2025-01-02,100000,credit,,,,x\n' +
      'VCB,111111111,NGUYEN VAN AN,,,T2,2025-01-03,100000,credit,,,,x\n' +
      // a second account known by its holder's name alone
      'VCB,222222222,Nguyễn Văn An,,,T3,2025-01-04,100000,credit,,,,x\n',
    'cod_shipments_ghn.csv':
      'carrier,waybill,sender_name,sender_phone,sender_address,sender_province,picked_up_on,cod_amount,status,' +
      'remit_bank,remit_account\n' +
      'ghn,W1,Kho hàng Minh Phát,0900000000,,Hà Nội,2025-01-02,100000,delivered,,\n' +
      'ghn,W2,Kho hàng Minh Phát,0900000000,,Hà Nội,2025-01-02,100000,delivered,,\n' +
      'ghn,W3,Kho hàng Minh Phát,0900000000,,Hà Nội,2025-01-02,100000,delivered,,\n' +
      'ghn,W4,Kho hàng Minh Phát,+84 900 000 000,,Hà Nội,2025-01-02,100000,delivered,,\n' +
      'ghn,W5,An Shop,0912.345.678,,Hà Nội,2025-01-02,100000,delivered,VCB,111111111\n' +
      // the warehouse's parcel picked up at A's home: the address as the registry writes it is its only trace
      'ghn,W6,Kho hàng Minh Phát,0900000000,"1 LE LOI, HA NOI",Hà Nội,2025-01-02,100000,delivered,,\n',
  });
  writeFiles(join(dir, 'truth'), {
    'records.csv':
      'source,record_key,person_id\n' +
      'taxpayers,0101234567,A\n' +
      'bank_transactions,VCB:T1,A\nbank_transactions,VCB:T2,A\nbank_transactions,VCB:T3,A\n' +
      'cod_shipments,ghn:W5,A\ncod_shipments,ghn:W6,A\n' +
      'cod_shipments,ghn:W1,B\ncod_shipments,ghn:W2,B\n' +
      'cod_shipments,ghn:W3,C\ncod_shipments,ghn:W4,C\n',
  });
  return dir;
}

describe('bench/lib/evidence-ceiling: the recall the delivered evidence allows', () => {
  it('joins a person’s rows through shared values; names only in the bound that links on names', () => {
    const c = evidenceCeiling(world());
    expect(c.truePairs).toBe(17);
    // A: registry, T1, T2, her parcel (ID, account, phone) and the one from her home (address) = 10 pairs,
    // T3 apart; B 1, C 1 (+84 read as 0)
    expect(c.identifiers).toBeCloseTo(12 / 17, 10);
    // every name shared within a person too: everything joined
    expect(c.identifiersAndNames).toBeCloseTo(1, 10);
  });

  it('own evidence leaves out values and names more than one person carries (the warehouse’s phone and name)', () => {
    const c = evidenceCeiling(world());
    // A's name is A's alone: T3 joins (15 pairs); B's and C's parcels carry only the warehouse's values
    expect(c.own).toBeCloseTo(15 / 17, 10);
  });

  it('rows a run left unattributed join nothing in the attributed bound', () => {
    const dir = world();
    writeFiles(join(dir, 'run'), {
      'members.csv':
        'entity_id,source,record_key\n' +
        'E1,taxpayers,0101234567\nE1,bank_transactions,VCB:T1\nE1,bank_transactions,VCB:T2\n' +
        'E2,bank_transactions,VCB:T3\nE1,cod_shipments,ghn:W5\nE1,cod_shipments,ghn:W6\n' +
        'E3,cod_shipments,ghn:W3\nE3,cod_shipments,ghn:W4\n',
    });
    const c = evidenceCeiling(dir, attributedRows(join(dir, 'run', 'members.csv')));
    expect(c.identifiers).toBeCloseTo(12 / 17, 10);
    // B's two parcels are in no entity: A's 10 pairs and C's 1
    expect(c.attributed?.identifiers).toBeCloseTo(11 / 17, 10);
  });

  it('reads values as evidence: digits of numbers, a phone’s +84 as 0, a branch tax code as its taxpayer’s', () => {
    expect(evidenceValue('phone', '+84 912 345 678')).toBe('0912345678');
    expect(evidenceValue('phone', '12345')).toBe('');
    expect(evidenceValue('tax', '0101234567-001')).toBe('0101234567');
    expect(evidenceValue('name', '  NGUYỄN  Văn Đức ')).toBe('nguyen van duc');
    expect(evidenceValue('domain', 'https://www.Shop.vn/a')).toBe('shop.vn');
    expect(evidenceValue('address', '1 Lê Lợi, Hà Nội')).toBe(evidenceValue('address', '1 LE LOI, HA NOI'));
  });
});
