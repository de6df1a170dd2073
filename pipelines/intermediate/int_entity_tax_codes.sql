-- one row per entity and tax code it can file under (registered tax codes and 12-digit personal IDs)
with entities as (
    select entity_id, tax_id, national_id from int_entities
),

final as (
    select distinct entity_id, code
    from entities,
    lateral (select unnest([tax_id, national_id]) as code)
    where code is not null
)

select * from final
