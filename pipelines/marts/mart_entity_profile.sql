-- one row per entity: who it is, for the case list and the dossier (identifier lists joined with |)
with entities as (
    select * from int_entities
),

-- the display name: the registry's first, then names written with diacritics, then the commonest
best_name as (
    select entity_id, name_display as name
    from entities
    where name_display is not null
    group by entity_id, name_display
    qualify row_number() over (
        partition by entity_id
        order by max((source = 'taxpayers')::int) desc, (name_display <> strip_accents(name_display))::int desc, count(*) desc, name_display
    ) = 1
),

best_province as (
    select entity_id, province
    from entities
    where province is not null
    group by entity_id, province
    qualify row_number() over (partition by entity_id order by count(*) desc, province) = 1
),

identifiers as (
    select
        entity_id,
        string_agg(distinct tax_id, '|' order by tax_id)                          as tax_ids,
        string_agg(distinct national_id, '|' order by national_id)               as national_ids,
        string_agg(distinct phone, '|' order by phone)                            as phones,
        string_agg(distinct email, '|' order by email)                            as emails,
        string_agg(distinct account, '|' order by account)                        as accounts,
        string_agg(distinct domain, '|' order by domain)                          as domains,
        string_agg(distinct source_key, '|' order by source_key) filter (where source = 'platform_sellers') as shops,
        string_agg(distinct source, '|' order by source)                          as sources
    from entities
    group by entity_id
),

final as (
    select i.entity_id, n.name, i.* exclude (entity_id), p.province
    from identifiers i
    left join best_name n using (entity_id)
    left join best_province p using (entity_id)
)

select * from final order by entity_id
