-- one row per identity record with the entity it resolved to (entity ids are stable: derived from the smallest record key)
with clusters as (
    select record_id, cluster_id from resolve_clusters
),

identities as (
    select * from int_identity_records
),

-- each cluster's smallest record key, once per cluster on the two key columns (a window over the
-- records carried every wide column through its sort: perf6, issue 18)
anchors as (
    select c.cluster_id, min(i.source || ':' || i.source_key) as cluster_anchor
    from identities i
    join clusters c using (record_id)
    group by c.cluster_id
),

final as (
    select
        'E' || upper(substr(md5(a.cluster_anchor), 1, 10)) as entity_id,
        c.cluster_id,
        i.*
    from identities i
    join clusters c using (record_id)
    join anchors a using (cluster_id)
)

select * from final
