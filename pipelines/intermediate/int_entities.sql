-- one row per identity record with the entity it resolved to (entity ids are stable: derived from the smallest record key)
with clusters as (
    select record_id, cluster_id from resolve_clusters
),

identities as (
    select * from int_identity_records
),

keyed as (
    select
        c.cluster_id,
        i.*,
        min(i.source || ':' || i.source_key) over (partition by c.cluster_id) as cluster_anchor
    from identities i
    join clusters c using (record_id)
),

final as (
    select
        'E' || upper(substr(md5(cluster_anchor), 1, 10)) as entity_id,
        * exclude (cluster_anchor)
    from keyed
)

select * from final
