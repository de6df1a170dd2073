/** Audit outcomes built from data-samples' synthetic truth, so the forest has enough labels to train. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../engine/paths.js';

const samples = join(packageRoot, 'data-samples');
const csvRows = (file: string) =>
  readFileSync(join(samples, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

/**
 * `n` outcome rows (tax_id subjects, tax year 2025, random selection) for registered sellers of the
 * sample, half undeclared where the truth allows, in a fixed order; plus `bad` rows breaking the contract.
 */
export function outcomesCsv(n: number, bad: string[] = []): string {
  const undeclared = new Map(csvRows('truth/persons.csv').map((r) => [r[0]!, r[1] === '1']));
  const sellers = new Set(
    csvRows('truth/persons.csv')
      .filter((r) => r[4] !== 'non_seller')
      .map((r) => r[0]!),
  );
  const taxIds = csvRows('truth/records.csv')
    .filter((r) => r[0] === 'taxpayers' && sellers.has(r[2]!) && /^\d{10}$/.test(r[1]!))
    .map((r) => ({ taxId: r[1]!, bad: undeclared.get(r[2]!)! }));
  const yes = taxIds.filter((t) => t.bad);
  const no = taxIds.filter((t) => !t.bad);
  const picked = [...yes.slice(0, Math.ceil(n / 2)), ...no.slice(0, Math.floor(n / 2))];
  const lines = picked.map((t, k) =>
    [
      `tax_id`,
      t.taxId,
      '2025',
      t.bad ? 'undeclared' : 'compliant',
      t.bad ? '250000000' : '',
      t.bad ? '3750000' : '',
      `2026-0${1 + (k % 9)}-15`,
      'random',
    ].join(','),
  );
  return (
    ['subject_type,subject_id,period,result,assessed_revenue,assessed_tax,closed_on,selection', ...lines, ...bad].join(
      '\n',
    ) + '\n'
  );
}
