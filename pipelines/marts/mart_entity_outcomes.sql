-- one row per entity and audited period: past audit outcomes joined to entities (training labels, exclusions)
with matched as (
    select * from int_outcome_entities where entity_id is not null
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
