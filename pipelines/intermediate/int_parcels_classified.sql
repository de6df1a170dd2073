-- one row per COD parcel that went to an entity: a seller sale, a marketplace parcel (cash remitted to a platform), returned or cancelled
with senders as (
    select r.record_key, e.entity_id
    from int_record_identity r
    join int_entities e using (record_id)
    where r.source = 'cod_shipments'
),

-- each parcel that went to an entity, with it (int_record_identity.sql): its sender profile's, including
-- profiles of warehouse parcels split by the seller's own values, or the seller living at its pickup
-- place. Joined once: both CTEs below read it (joined in each, it was a third of the model)
parcels as materialized (
    select s.entity_id, p.record_key, p.carrier, p.tax_year, p.picked_up_on, p.cod_amount, p.status, p.remit_account,
        p.name_key, p.phone
    from stg_cod_shipments p
    join senders s on s.record_key = p.record_key
),

-- a remittance account collecting for many unrelated senders is a marketplace's, not a seller's: many
-- sender names, phones and sellers (entities) at once. One seller's own account sees many names when
-- carriers spell it many ways (knob nameVariants: on busy-spellings 65 % of the COD sales went out as
-- marketplace parcels), and many entities when the resolver splits those spellings, but few phones; a
-- warehouse's account sees many sellers under its one name and phone: all of them stay sales
shared_remit as (
    select p.remit_account
    from parcels p
    where p.remit_account is not null
    group by p.remit_account
    having count(distinct p.name_key) >= getvariable('shared_remit_min_senders')
       and count(distinct p.phone) >= getvariable('shared_remit_min_senders')
       and count(distinct p.entity_id) >= getvariable('shared_remit_min_senders')
),

final as (
    select
        p.entity_id,
        p.record_key, p.carrier, p.tax_year, p.picked_up_on, p.cod_amount, p.status, p.remit_account,
        case
            when p.status in ('returned', 'cancelled') then p.status
            when sr.remit_account is not null then 'marketplace'
            else 'sale'
        end as parcel_class
    from parcels p
    left join shared_remit sr on sr.remit_account = p.remit_account
)

select * from final
