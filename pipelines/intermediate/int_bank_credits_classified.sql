-- one row per bank credit into an entity's account, classified: trade, carrier_remittance (a carrier's or a warehouse's forward), platform_payout, private
with credits as (
    select * from stg_bank_transactions where direction = 'credit'
),

-- the entity each credit went to: its account holder's, or the shop's a payout names (int_record_identity)
credit_entities as (
    select r.record_key, e.entity_id
    from int_record_identity r
    join int_entities e using (record_id)
    where r.source = 'bank_transactions'
),

-- accounts a warehouse is paid COD into and passes each client's share on from (int_cod_senders.sql,
-- issue 14 fwd11): a credit from one is COD cash forwarded, the money of parcels, not a buyer's payment
forwarding_accounts as (
    select distinct forwarding_account as account
    from int_cod_senders
    where forwarding_account is not null
),

-- the same money as parcels or GMV coming back, or money that is not a sale (patterns come from config)
classified as (
    select
        *,
        coalesce(counterparty_key, '') || ' ' || coalesce(description_key, '') as text_key,
        case
            when regexp_matches(coalesce(counterparty_key, '') || ' ' || coalesce(description_key, ''), getvariable('re_carrier_remittance')) then 'carrier_remittance'
            when counterparty_account in (select account from forwarding_accounts) then 'carrier_remittance'
            when regexp_matches(coalesce(counterparty_key, '') || ' ' || coalesce(description_key, ''), getvariable('re_platform_payout')) then 'platform_payout'
            when regexp_matches(coalesce(description_key, ''), getvariable('re_private')) then 'private'
            else 'trade'
        end as credit_class
    from credits
),

final as (
    select
        a.entity_id,
        c.record_key, c.account, c.tax_year, c.amount, c.booked_at, c.counterparty_account, c.counterparty_key, c.description, c.credit_class
    from classified c
    join credit_entities a using (record_key)
)

select * from final
