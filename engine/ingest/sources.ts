/**
 * The input contract (docs/contract.md, v1) as data: every loader, generator and test reads
 * source columns, types and keys from here, never from its own copy.
 */
export type ColumnType = 'text' | 'date' | 'timestamp' | 'period' | 'vnd' | 'integer';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required?: boolean;
  /** Allowed values (after lower-casing), for enumerations. */
  values?: readonly string[];
  /** For money: the amount must be > 0 instead of ≥ 0. */
  positive?: boolean;
  /** Identifier format (docs/contract.md, "Identifiers"). */
  format?: 'tax_id' | 'national_id';
  /**
   * What a malformed identifier does: `reject` the row (the registry's own key), or keep the row and
   * record a `warn`ing in `ingest_warnings` (identifiers other agencies pass on; the default).
   */
  malformed?: 'reject' | 'warn';
}

export interface SourceSpec {
  name: SourceName;
  columns: readonly ColumnSpec[];
  /** Columns whose values together are unique within the source (and across deliveries). */
  key: readonly string[];
  /** How truth/records.csv and members.csv spell a record key. */
  recordKey: string;
}

export const sourceNames = [
  'taxpayers',
  'declarations',
  'platform_sellers',
  'websites',
  'cod_shipments',
  'bank_transactions',
  'outcomes',
] as const;
export type SourceName = (typeof sourceNames)[number];

const t = (name: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type: 'text', ...extra });

export const sources: Record<SourceName, SourceSpec> = {
  taxpayers: {
    name: 'taxpayers',
    key: ['tax_id'],
    recordKey: 'tax_id',
    columns: [
      t('tax_id', { required: true, format: 'tax_id', malformed: 'reject' }),
      t('taxpayer_type', { values: ['enterprise', 'household', 'individual'] }),
      t('name', { required: true }),
      t('national_id', { format: 'national_id' }),
      t('phone'),
      t('email'),
      t('address'),
      t('ward'),
      t('province'),
      t('activity_group', { values: ['goods', 'services', 'production_transport', 'property_lease', 'other'] }),
      { name: 'registered_on', type: 'date' },
      t('status', { values: ['active', 'suspended', 'closed'] }),
    ],
  },
  declarations: {
    name: 'declarations',
    key: ['tax_id', 'period'],
    recordKey: 'tax_id:period',
    columns: [
      t('tax_id', { required: true, format: 'tax_id' }),
      { name: 'period', type: 'period', required: true },
      { name: 'declared_revenue', type: 'vnd', required: true },
      { name: 'tax_paid', type: 'vnd' },
      { name: 'filed_on', type: 'date' },
    ],
  },
  platform_sellers: {
    name: 'platform_sellers',
    key: ['platform', 'shop_id', 'period'],
    recordKey: 'platform:shop_id:period',
    columns: [
      t('platform', { required: true }),
      t('shop_id', { required: true }),
      t('shop_name'),
      t('owner_name'),
      t('owner_national_id', { format: 'national_id' }),
      t('owner_tax_id', { format: 'tax_id' }),
      t('phone'),
      t('email'),
      t('address'),
      t('province'),
      t('payout_bank'),
      t('payout_account'),
      { name: 'period', type: 'period', required: true },
      { name: 'gmv', type: 'vnd', required: true },
      { name: 'orders', type: 'integer' },
      { name: 'tax_withheld', type: 'vnd' },
    ],
  },
  websites: {
    name: 'websites',
    key: ['domain'],
    recordKey: 'domain',
    columns: [
      t('domain', { required: true }),
      t('kind', { values: ['sales_website', 'service_website', 'sales_app', 'service_app'] }),
      t('owner_name'),
      t('owner_tax_id', { format: 'tax_id' }),
      t('owner_national_id', { format: 'national_id' }),
      t('phone'),
      t('email'),
      t('address'),
      t('province'),
      { name: 'notified_on', type: 'date' },
      t('status', { values: ['notified', 'registered', 'revoked'] }),
    ],
  },
  cod_shipments: {
    name: 'cod_shipments',
    key: ['carrier', 'waybill'],
    recordKey: 'carrier:waybill',
    columns: [
      t('carrier', { required: true }),
      t('waybill', { required: true }),
      t('sender_name'),
      t('sender_phone'),
      t('sender_address'),
      t('sender_province'),
      { name: 'picked_up_on', type: 'date', required: true },
      { name: 'cod_amount', type: 'vnd', required: true },
      t('status', { values: ['delivered', 'returned', 'cancelled'] }),
      t('remit_bank'),
      t('remit_account'),
    ],
  },
  bank_transactions: {
    name: 'bank_transactions',
    key: ['bank', 'txn_id'],
    recordKey: 'bank:txn_id',
    columns: [
      t('bank', { required: true }),
      t('account', { required: true }),
      t('holder_name'),
      t('holder_national_id', { format: 'national_id' }),
      t('holder_tax_id', { format: 'tax_id' }),
      t('txn_id', { required: true }),
      { name: 'booked_at', type: 'timestamp', required: true },
      { name: 'amount', type: 'vnd', required: true, positive: true },
      t('direction', { required: true, values: ['credit', 'debit'] }),
      t('counterparty_bank'),
      t('counterparty_account'),
      t('counterparty_name'),
      t('description'),
    ],
  },
  outcomes: {
    name: 'outcomes',
    key: ['subject_type', 'subject_id', 'period'],
    recordKey: 'subject_type:subject_id:period',
    columns: [
      t('subject_type', {
        required: true,
        values: ['tax_id', 'national_id', 'phone', 'platform_shop', 'domain', 'account', 'waybill', 'entity_id'],
      }),
      t('subject_id', { required: true }),
      { name: 'period', type: 'period', required: true },
      t('result', { required: true, values: ['undeclared', 'compliant'] }),
      { name: 'assessed_revenue', type: 'vnd' },
      { name: 'assessed_tax', type: 'vnd' },
      { name: 'closed_on', type: 'date' },
      t('selection', { values: ['risk', 'random'] }),
    ],
  },
};

/** Column names of a source, in contract order (the order generators write). */
export const columnNames = (s: SourceName): string[] => sources[s].columns.map((c) => c.name);

/** Which source a file belongs to, from its name (`cod_shipments_ghn_2026-11.csv` → cod_shipments; `.csv`,
 * `.parquet`, `.xlsx`, and `.xls` to be refused with a fix). */
export function sourceOfFile(fileName: string): SourceName | undefined {
  const base = fileName.toLowerCase();
  if (!/\.(csv|parquet|xlsx|xls)$/.test(base)) return undefined;
  // Longest name first so a future `platform_sellers_x` never matches a shorter source.
  return [...sourceNames]
    .sort((a, b) => b.length - a.length)
    .find((s) => base.startsWith(`${s}_`) || base.startsWith(`${s}.`));
}
