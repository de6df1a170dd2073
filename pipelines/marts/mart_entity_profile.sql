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

-- each entity's distinct values of each kind, sorted (as lists: `string_agg(distinct x, '|' order by x)`
-- sorted every entity's rows once per column and took 80 % of the model, issue 18)
identifier_lists as (
    select
        entity_id,
        list_sort(list_distinct(list(tax_id)))                                      as tax_ids,
        list_sort(list_distinct(list(national_id)))                                 as national_ids,
        list_sort(list_distinct(list(phone)))                                       as phones,
        list_sort(list_distinct(list(email)))                                       as emails,
        list_sort(list_distinct(list(account)))                                     as accounts,
        list_sort(list_distinct(list(domain)))                                      as domains,
        list_sort(list_distinct(list(source_key) filter (where source = 'platform_sellers'))) as shops,
        list_sort(list_distinct(list(source)))                                      as sources
    from entities
    group by entity_id
),

-- joined with | (null when there are none)
identifiers as (
    select
        entity_id,
        case when len(tax_ids) > 0 then array_to_string(tax_ids, '|') end           as tax_ids,
        case when len(national_ids) > 0 then array_to_string(national_ids, '|') end as national_ids,
        case when len(phones) > 0 then array_to_string(phones, '|') end             as phones,
        case when len(emails) > 0 then array_to_string(emails, '|') end             as emails,
        case when len(accounts) > 0 then array_to_string(accounts, '|') end         as accounts,
        case when len(domains) > 0 then array_to_string(domains, '|') end           as domains,
        case when len(shops) > 0 then array_to_string(shops, '|') end               as shops,
        case when len(sources) > 0 then array_to_string(sources, '|') end           as sources
    from identifier_lists
),

final as (
    select i.entity_id, n.name, i.* exclude (entity_id), p.province
    from identifiers i
    left join best_name n using (entity_id)
    left join best_province p using (entity_id)
)

select * from final order by entity_id
