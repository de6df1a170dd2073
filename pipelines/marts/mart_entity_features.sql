-- one row per entity per tax year: observed revenue by channel (counted once), declared revenue, behaviour
with entities as (
    select * from int_entities
),

year as (
    select getvariable('tax_year')::integer as tax_year
),

profile as (
    select
        entity_id,
        count(*)                                                   as identity_records,
        count(distinct name_key)                                   as distinct_names,
        count(distinct national_id)                                as national_ids,
        count(distinct tax_id)                                     as tax_ids,
        count(distinct phone)                                      as phones,
        count(distinct account)                                    as accounts,
        count(*) filter (where source = 'platform_sellers')        as shops,
        count(*) filter (where source = 'websites')                as websites,
        count(*) filter (where source = 'taxpayers')               as taxpayer_records,
        count(*) filter (where source = 'cod_shipments')           as sender_profiles,
        -- a shop's payouts into an account are a record of their own, not another account
        count(*) filter (where source = 'bank_transactions' and account is not null) as bank_accounts
    from entities
    group by entity_id
),

registry as (
    select
        e.entity_id,
        bool_or(t.status = 'active')                                as registered_active,
        -- the latest registration decides (ties broken by the unique tax code)
        arg_max(t.activity_group, (t.registered_on, t.record_key))  as activity_group,
        arg_max(t.taxpayer_type, (t.registered_on, t.record_key))   as taxpayer_type
    from entities e
    join stg_taxpayers t on t.record_key = e.source_key and e.source = 'taxpayers'
    group by e.entity_id
),

platform as (
    select
        e.entity_id,
        sum(p.tax_withheld)                                         as tax_withheld,
        sum(p.gmv) filter (where p.tax_withheld > 0)                as gmv_withheld,
        count(distinct p.platform)                                  as platforms,
        count(distinct p.period)                                    as platform_months,
        sum(p.orders)                                               as orders
    from entities e
    join stg_platform_sellers p on p.shop_key = e.source_key and e.source = 'platform_sellers'
    where p.tax_year = (select tax_year from year)
    group by e.entity_id
),

-- tax withheld on shops of other entities under a code this one files under (int_withholding_credited.sql)
withheld_under_code as (
    select entity_id, sum(tax_withheld) as tax_withheld
    from int_withholding_credited
    where tax_year = (select tax_year from year)
    group by entity_id
),

cod as (
    select
        entity_id,
        count(*) filter (where parcel_class = 'sale')               as cod_parcels,
        count(*) filter (where parcel_class in ('returned', 'cancelled')) as cod_returned,
        sum(cod_amount) filter (where parcel_class = 'marketplace') as cod_marketplace,
        count(distinct carrier)                                     as carriers,
        count(distinct month(picked_up_on))                         as cod_months
    from int_parcels_classified
    where tax_year = (select tax_year from year)
    group by entity_id
),

bank as (
    select
        entity_id,
        count(*) filter (where credit_class = 'trade')              as bank_trade_credits,
        -- a payer is its account, or its name when the bank gave no account
        count(distinct coalesce(counterparty_account, counterparty_key)) filter (where credit_class = 'trade') as distinct_payers,
        sum(amount) filter (where credit_class = 'carrier_remittance') as bank_carrier_remittance,
        sum(amount) filter (where credit_class = 'platform_payout') as bank_platform_payout,
        sum(amount) filter (where credit_class = 'private')         as bank_private,
        -- trade credits whose description names nothing but a transfer (`ck`, `X chuyen tien`, none):
        -- a buyer's, or the holder's family's money that no private word marks (engine/score/gap.ts)
        sum(amount) filter (where credit_class = 'trade'
            and regexp_full_match(coalesce(lower(strip_accents(description)), ''), getvariable('re_unnamed_transfer')))
                                                                    as bank_trade_unnamed,
        count(distinct month(booked_at)) filter (where credit_class = 'trade') as bank_months
    from int_bank_credits_classified
    where tax_year = (select tax_year from year)
    group by entity_id
),

-- revenue seen per channel (int_revenue_by_entity.sql)
revenue as (
    select * from int_revenue_by_entity where tax_year = (select tax_year from year)
),

declared as (
    select
        entity_id,
        sum(declared_revenue) filter (where tax_year = (select tax_year from year))     as declared_revenue,
        sum(tax_paid) filter (where tax_year = (select tax_year from year))             as tax_paid,
        sum(returns) filter (where tax_year = (select tax_year from year))              as returns,
        sum(declared_revenue) filter (where tax_year = (select tax_year from year) - 1) as declared_prev,
        sum(returns) filter (where tax_year = (select tax_year from year) - 1)          as returns_prev
    from int_declarations_by_entity
    group by entity_id
),

-- words naming an activity group in its names and transfer descriptions (mart_entity_activity.sql)
activity as (
    select * exclude (activity_terms) from mart_entity_activity
),

-- the registered taxpayer an entity without a registry record may be (mart_registry_candidates.sql)
candidate as (
    select entity_id, weight, candidate_declared_revenue, candidate_tax_paid from mart_registry_candidates
),

final as (
    select
        p.entity_id,
        (select tax_year from year)                                 as tax_year,
        -- registered in fact: an active registry record, or one whose code declared revenue for the year whatever
        -- its status says (a suspended household filing its quarterly returns; issue 14, reg31)
        coalesce(r.registered_active, false)
            or (r.entity_id is not null and coalesce(d.declared_revenue, 0) > 0)       as registered,
        -- null when the registry does not classify the seller: the scorer estimates it (engine/score/activity.ts)
        r.activity_group                                            as activity_group,
        coalesce(rv.platform_gmv, 0)::bigint                        as platform_gmv,
        coalesce(pl.gmv_withheld, 0)::bigint                        as gmv_withheld,
        (coalesce(pl.tax_withheld, 0) + coalesce(wc.tax_withheld, 0))::bigint as tax_withheld,
        -- the rate a marketplace withheld reveals the activity group it applied
        case when coalesce(pl.gmv_withheld, 0) > 0 then pl.tax_withheld::double / pl.gmv_withheld end as withheld_rate,
        coalesce(rv.cod_sales, 0)::bigint                           as cod_sales,
        coalesce(rv.bank_trade, 0)::bigint                          as bank_trade,
        coalesce(rv.observed_revenue, 0)::bigint                    as observed_revenue,
        coalesce(d.declared_revenue, 0)::bigint                     as declared_revenue,
        coalesce(d.tax_paid, 0)::bigint                             as tax_paid,
        coalesce(d.returns, 0)::bigint                              as returns,
        coalesce(d.declared_prev, 0)::bigint                        as declared_prev,
        coalesce(d.returns_prev, 0)::bigint                         as returns_prev,
        coalesce(pl.platforms, 0)::bigint                           as platforms,
        coalesce(pl.platform_months, 0)::bigint                     as platform_months,
        coalesce(c.cod_parcels, 0)::bigint                          as cod_parcels,
        coalesce(c.cod_returned, 0)::bigint                         as cod_returned,
        coalesce(c.cod_marketplace, 0)::bigint                      as cod_marketplace,
        coalesce(c.carriers, 0)::bigint                             as carriers,
        case when coalesce(c.cod_parcels, 0) + coalesce(c.cod_returned, 0) > 0
             then c.cod_returned::double / (c.cod_parcels + c.cod_returned) end as cod_return_rate,
        coalesce(b.bank_trade_credits, 0)::bigint                   as bank_trade_credits,
        coalesce(b.distinct_payers, 0)::bigint                      as distinct_payers,
        coalesce(b.bank_carrier_remittance, 0)::bigint              as bank_carrier_remittance,
        coalesce(b.bank_platform_payout, 0)::bigint                 as bank_platform_payout,
        coalesce(b.bank_private, 0)::bigint                         as bank_private,
        coalesce(b.bank_trade_unnamed, 0)::bigint                   as bank_trade_unnamed,
        greatest(coalesce(pl.platform_months, 0), coalesce(c.cod_months, 0), coalesce(b.bank_months, 0))::bigint as months_active,
        p.identity_records, p.distinct_names, p.national_ids, p.tax_ids, p.phones, p.accounts,
        p.shops, p.websites, p.taxpayer_records, p.sender_profiles, p.bank_accounts,
        coalesce(rc.weight, 0)::double                              as registry_candidate_weight,
        coalesce(rc.candidate_declared_revenue, 0)::bigint          as candidate_declared_revenue,
        coalesce(rc.candidate_tax_paid, 0)::bigint                  as candidate_tax_paid,
        a.* exclude (entity_id)
    from profile p
    left join registry r using (entity_id)
    left join platform pl using (entity_id)
    left join withheld_under_code wc using (entity_id)
    left join cod c using (entity_id)
    left join bank b using (entity_id)
    left join revenue rv using (entity_id)
    left join declared d using (entity_id)
    left join candidate rc using (entity_id)
    left join activity a using (entity_id)
)

select * from final order by entity_id
