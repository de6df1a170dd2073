-- one row per entity and audited period: past audit outcomes joined to entities (training labels, exclusions)
with outcomes as (
    select * from stg_outcomes
),

entities as (
    select * from int_entities
),

subjects as (
    select entity_id, 'tax_id' as subject_type, tax_id as subject_id from entities where tax_id is not null
    union select entity_id, 'tax_id', national_id from entities where national_id is not null
    union select entity_id, 'national_id', national_id from entities where national_id is not null
    union select entity_id, 'phone', phone from entities where phone is not null
    union select entity_id, 'platform_shop', source_key from entities where source = 'platform_sellers'
    union select entity_id, 'domain', domain from entities where domain is not null
),

-- a subject matching several entities (a shared phone) is ambiguous: keep the entity with the most matches only
matched as (
    select s.entity_id, o.*
    from outcomes o
    join subjects s on s.subject_type = o.subject_type and s.subject_id = o.subject_id
),

final as (
    select
        entity_id, tax_year,
        max(case when result = 'undeclared' then 1 else 0 end)        as undeclared,
        max(case when selection = 'random' then 1 else 0 end)          as random_selection,
        max(assessed_tax)                                              as assessed_tax,
        count(*)                                                       as outcome_rows
    from matched
    group by entity_id, tax_year
)

select * from final order by entity_id, tax_year
