/**
 * A household re-registered under its personal ID (mig21): since 1 July 2025 the CCCD is the tax code
 * of individuals and households (docs/domain.md), and the old 10-digit code is closed but stays in the
 * registry with its returns. When the old record has no national ID on file and shares no phone or
 * e-mail with the new one, only name, province and activity tie them — too weak a link on its own, so
 * the returns filed under the old code were missing from the case. The closed record now carries the
 * ID of the one record registered under a CCCD since then with the same name, province and activity.
 */
import { describe, expect, it } from 'vitest';
import { withDb } from './fixtures.js';
import { build, entities, type Row } from './parcel-delivery.js';

const registry = (
  key: string,
  name: string,
  taxId: string,
  registeredOn: string,
  status: string,
  extra: Row = {},
): Row => ({
  record_key: key,
  name,
  name_key: name,
  national_id: taxId.length === 12 ? taxId : null,
  tax_id: taxId,
  province: 'Bắc Ninh',
  // (the closed record's address; the others are registered elsewhere in the province, so that a name at
  // one address, the resolver's `home`, ties nothing here and the inferred ID is what is tested)
  address: '25 ly thai to, p. suoi hoa',
  taxpayer_type: 'household',
  activity_group: 'property_lease',
  registered_on: registeredOn,
  status,
  ...extra,
});

/** Her closed 10-digit record: phone and e-mail on file, no national ID. */
const closed = (person: string) =>
  registry(`${person}:old`, 'nguyen hong trang', '8925424752', '2013-12-08', 'closed', {
    phone: '0708978338',
    email: 'nguyenhtrang8178@gmail.com',
    taxpayer_type: 'individual',
    address: '118 giai phong, p. yen my',
  });

describe('a household re-registered under its personal ID', () => {
  it('its closed 10-digit record and its CCCD record are one taxpayer', async () => {
    await withDb(async (db) => {
      await build(db, {
        stg_taxpayers: [
          closed('A'),
          registry('A:new', 'hkd nguyen hong trang', '080185229846', '2025-12-03', 'active'),
        ],
      });
      expect(await entities(db)).toEqual([['A']]);
    });
  });

  it.each([
    ['two namesakes re-registered there since', '2025-09-01', 'property_lease', 'B:new'],
    ['a namesake holding an older code there', '2025-09-01', 'property_lease', 'C:old'],
    ['the CCCD record registered before the cutover', '2025-03-01', 'property_lease', ''],
    ['another activity', '2025-09-01', 'goods', ''],
  ])('not with %s', async (_, registeredOn, activity, namesake) => {
    await withDb(async (db) => {
      const rows = [
        registry('A:new', 'nguyen hong trang', '080185229846', String(registeredOn), 'active', {
          activity_group: String(activity),
        }),
      ];
      // a namesake's code in the province makes the name no evidence of who re-registered
      if (namesake === 'B:new')
        rows.push(
          registry('B:new', 'nguyen hong trang', '080190000001', '2025-10-01', 'active', { address: '7 ngo gia tu' }),
        );
      if (namesake === 'C:old')
        rows.push(
          registry('C:old', 'nguyen hong trang', '8000000019', '2016-05-02', 'active', { address: '40 tran phu' }),
        );
      await build(db, { stg_taxpayers: [closed('O'), ...rows] });
      expect((await entities(db)).filter((e) => e.includes('O'))).toEqual([['O']]);
    });
  });
});
