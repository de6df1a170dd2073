-- one row per entity per tax year: the revenue seen (marketplace GMV + delivered COD sales + bank credits classified as trade)
with shops as (
    select e.entity_id, p.tax_year, sum(p.gmv) as platform_gmv
    from int_entities e
    join stg_platform_sellers p on p.shop_key = e.source_key and e.source = 'platform_sellers'
    group by all
),

parcels as (
    select entity_id, tax_year, sum(cod_amount) as cod_sales
    from int_parcels_classified
    where parcel_class = 'sale'
    group by all
),

credits as (
    select entity_id, tax_year, sum(amount) as bank_trade
    from int_bank_credits_classified
    where credit_class = 'trade'
    group by all
),

final as (
    select
        entity_id,
        tax_year,
        coalesce(s.platform_gmv, 0)::bigint as platform_gmv,
        coalesce(p.cod_sales, 0)::bigint    as cod_sales,
        coalesce(c.bank_trade, 0)::bigint   as bank_trade,
        (coalesce(s.platform_gmv, 0) + coalesce(p.cod_sales, 0) + coalesce(c.bank_trade, 0))::bigint as observed_revenue
    from shops s
    full join parcels p using (entity_id, tax_year)
    full join credits c using (entity_id, tax_year)
)

select * from final
