/** linkRecords leaves no work tables behind in the warehouse: not after a run, not after a failed step. */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../engine/log.js';
import { linkRecords } from '../../engine/resolve/link.js';
import { normalizeLinkSpec, type LinkSpec } from '../../engine/resolve/spec.js';
import type { Db } from '../../engine/warehouse/db.js';
import { loadIdentityRecords, withDb, type IdentityRow } from './fixtures.js';

const spec: LinkSpec = {
  fields: { phone: {}, name_key: {} },
  comparisons: [{ name: 'phone', field: 'phone', identifier: true, levels: [{ kind: 'exact' }] }],
  blocking: [{ fields: ['phone'] }],
  prior: { match_probability: 0.01 },
  estimate: { em_iterations: 0, u_sample_pairs: 1000 },
  threshold: { match_weight: -100 },
  clustering: { strong: { match_weight: -50 } },
};
const rows: IdentityRow[] = Array.from({ length: 20 }, (_, i) => ({
  phone: `09000000${String(i % 5).padStart(2, '0')}`,
  name_key: `p ${i}`,
}));

const objects = async (db: Db) =>
  (await db.all<{ name: string }>(`select table_name as name from information_schema.tables order by 1`)).map(
    (r) => r.name,
  );

describe('linkRecords work tables', () => {
  it('drops its rs_ tables after linking, keeping input and outputs', async () => {
    await withDb(async (db) => {
      await loadIdentityRecords(db, rows);
      const r = await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(spec), seed: 1 });
      expect(r.multiRecordClusters).toBe(5);
      expect(await objects(db)).toEqual([
        'identity_records',
        'resolve_clusters',
        'resolve_corroborations',
        'resolve_links',
      ]);
    });
  });

  it('drops the rs_ tables it made when a step fails, and reports that step’s error', async () => {
    await withDb(async (db) => {
      await loadIdentityRecords(db, rows);
      // A view in the way of the blocking step's (temporary) table: prepare succeeds, block fails.
      await db.exec('create temp view rs_pairs as select 1 as x');
      await expect(
        linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(spec), seed: 1 }),
      ).rejects.toThrow(/rs_pairs/);
      expect(await objects(db)).toEqual(['identity_records', 'rs_pairs']);
    });
  });

  it('makes them temporary (never written to the warehouse file) unless kept', async () => {
    for (const keepWork of [false, true]) {
      await withDb(async (db) => {
        await loadIdentityRecords(db, rows);
        // The work tables as the last step (cluster) starts: name → temporary.
        let seen: Record<string, boolean> = {};
        const log = {
          ...silentLogger(),
          stage: async <T>(name: string, fn: () => Promise<T> | T) => {
            if (name === 'link: cluster')
              for (const t of await db.all<{ name: string; temporary: boolean }>(
                `select table_name as name, temporary from duckdb_tables() where table_name like 'rs\\_%' escape '\\'`,
              ))
                seen[t.name] = t.temporary;
            return fn();
          },
        };
        await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(spec), seed: 1, log, keepWork });
        expect(Object.keys(seen)).toEqual(
          expect.arrayContaining(['rs_base', 'rs_records', 'rs_pairs', 'rs_vectors', 'rs_upairs', 'rs_uvectors']),
        );
        expect(new Set(Object.values(seen))).toEqual(new Set([!keepWork]));
        seen = {};
      });
    }
  });

  it('keeps them with keepWork', async () => {
    await withDb(async (db) => {
      await loadIdentityRecords(db, rows);
      await linkRecords(db, { input: 'identity_records', spec: normalizeLinkSpec(spec), seed: 1, keepWork: true });
      expect((await objects(db)).filter((t) => t.startsWith('rs_'))).toEqual(
        expect.arrayContaining(['rs_records', 'rs_pairs', 'rs_vectors', 'rs_members']),
      );
    });
  });
});
