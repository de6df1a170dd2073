-- one row per entity and shop-period line of another entity's shop whose withheld tax that entity files under
-- A marketplace withholds tax on a shop's sales (Decree 117/2025) and reports it under the tax code the
-- shop declares for its owner, or, without one, the owner's national ID; the return filed under that
-- code counts it as paid (what it says was paid is what was owed less the withholding). When the shop
-- resolved into another entity (paid into a relative's account, the owner's papers kept apart, or a
-- registry record nothing else reached), the withholding goes with the shop and is credited, as the
-- returns are (int_declarations_by_entity.sql), to every entity holding the code that files a return
-- under it that tax year: otherwise the return reads as tax unpaid. Without a return (a seller who
-- stopped filing) nothing nets it, and the shop's sales and their withholding stay where the shop is.
with lines as (
    select record_key, shop_key, period, tax_year, tax_withheld, tax_id, national_id
    from stg_platform_sellers
    where tax_withheld > 0
),

codes as (
    select * from int_entity_tax_codes
),

returns as (
    select distinct tax_id, tax_year from stg_declarations
),

-- the tax code first; the national ID only for a line whose tax code no entity files under
-- (two equi-joins: one join on `code = tax_id or code = national_id` is a nested loop, 10 s at 50k)
matched as (
    select record_key, shop_key, period, tax_year, tax_withheld, entity_id, code
    from (
        select l.record_key, l.shop_key, l.period, l.tax_year, l.tax_withheld, c.entity_id, c.code, 0 as by_id
        from lines l
        join codes c on c.code = l.tax_id
        union all
        select l.record_key, l.shop_key, l.period, l.tax_year, l.tax_withheld, c.entity_id, c.code, 1 as by_id
        from lines l
        join codes c on c.code = l.national_id
    )
    qualify dense_rank() over (partition by record_key order by by_id) = 1
),

final as (
    select distinct m.entity_id, m.record_key, m.period, m.tax_year, m.tax_withheld
    from matched m
    -- the code the line was matched by files a return for that year
    semi join returns r on r.tax_year = m.tax_year and r.tax_id = m.code
    -- the entity's own shops count in mart_entity_features already
    anti join int_entities e on e.entity_id = m.entity_id and e.source = 'platform_sellers' and e.source_key = m.shop_key
)

select * from final
