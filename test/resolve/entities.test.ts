/**
 * pipelines/intermediate/int_entities.sql: each identity record with the entity its cluster resolved
 * to; the entity id is derived from the cluster's smallest `source:source_key` (stable across runs).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runModels } from '../../engine/warehouse/pipeline.js';
import { withDb } from './fixtures.js';

const entityId = (anchor: string) => `E${createHash('md5').update(anchor).digest('hex').slice(0, 10).toUpperCase()}`;

describe('int_entities', () => {
  it("gives every record of a cluster the id of the cluster's smallest record key, and keeps each record's columns", async () => {
    await withDb(async (db) => {
      await db.exec(`create table int_identity_records as select * from (values
        (0, 'bank_transactions', 'TCB:1', 'nguyen van an'),
        (1, 'platform_sellers', 'shopee:9', 'an nguyen'),
        (2, 'taxpayers', '001190000001', 'nguyen van an'),
        (3, 'platform_sellers', 'lazada:2', 'tran thi binh'),
        (4, 'websites', 'w:1', 'tran thi binh')
      ) t(record_id, source, source_key, name_key)`);
      // clusters: {0, 1, 2} (cluster id 7: ids are the linker's, not ranks), {3, 4}
      await db.exec(`create table resolve_clusters as select * from (values (0, 7), (1, 7), (2, 7), (3, 3), (4, 3))
        t(record_id, cluster_id)`);
      await runModels(db, (m) => m.name === 'int_entities');
      const rows = await db.all<{ entity_id: string; cluster_id: number; record_id: number; name_key: string }>(
        'select entity_id, cluster_id::int as cluster_id, record_id::int as record_id, name_key from int_entities order by record_id',
      );
      const a = entityId('bank_transactions:TCB:1');
      const b = entityId('platform_sellers:lazada:2');
      expect(rows).toEqual([
        { entity_id: a, cluster_id: 7, record_id: 0, name_key: 'nguyen van an' },
        { entity_id: a, cluster_id: 7, record_id: 1, name_key: 'an nguyen' },
        { entity_id: a, cluster_id: 7, record_id: 2, name_key: 'nguyen van an' },
        { entity_id: b, cluster_id: 3, record_id: 3, name_key: 'tran thi binh' },
        { entity_id: b, cluster_id: 3, record_id: 4, name_key: 'tran thi binh' },
      ]);
      const cols = (await db.all<{ c: string }>(`select column_name as c from (describe int_entities)`)).map(
        (r) => r.c,
      );
      expect(cols).toEqual(['entity_id', 'cluster_id', 'record_id', 'source', 'source_key', 'name_key']);
    });
  });
});
