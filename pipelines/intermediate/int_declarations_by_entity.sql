-- one row per entity per tax year: what it declared and paid (annual return, else the sum of its quarterly / monthly returns)
with declarations as (
    select * from stg_declarations
),

codes as (
    select * from int_entity_tax_codes
),

per_code_year as (
    select
        c.entity_id,
        d.tax_year,
        sum(d.declared_revenue) filter (where d.period_kind = 'year')  as annual_revenue,
        sum(d.declared_revenue) filter (where d.period_kind <> 'year') as sub_annual_revenue,
        sum(d.tax_paid)                                                as tax_paid,
        count(*)                                                       as returns
    from declarations d
    join codes c on c.code = d.tax_id
    group by c.entity_id, d.tax_year
),

final as (
    select
        entity_id,
        tax_year,
        greatest(coalesce(annual_revenue, 0), coalesce(sub_annual_revenue, 0))::bigint as declared_revenue,
        tax_paid::bigint as tax_paid,
        returns::bigint as returns
    from per_code_year
)

select * from final
