-- one row per entity: who it is, for the case list and the dossier (identifier lists joined with |)
with entities as (
    select * from int_entities
),

final as (
    select
        entity_id,
        -- the registry's name first, then the commonest name written with diacritics, then any
        coalesce(
            mode(name_display) filter (where source = 'taxpayers'),
            mode(name_display) filter (where name_display <> strip_accents(name_display)),
            mode(name_display) filter (where name_display is not null)
        )                                                                         as name,
        string_agg(distinct tax_id, '|' order by tax_id)                          as tax_ids,
        string_agg(distinct national_id, '|' order by national_id)               as national_ids,
        string_agg(distinct phone, '|' order by phone)                            as phones,
        string_agg(distinct email, '|' order by email)                            as emails,
        string_agg(distinct account, '|' order by account)                        as accounts,
        string_agg(distinct domain, '|' order by domain)                          as domains,
        string_agg(distinct source_key, '|' order by source_key) filter (where source = 'platform_sellers') as shops,
        string_agg(distinct source, '|' order by source)                          as sources,
        mode(province) filter (where province is not null)                        as province
    from entities
    group by entity_id
)

select * from final order by entity_id
