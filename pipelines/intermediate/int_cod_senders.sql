-- one row per COD parcel: the sender profile it is grouped into, or none when nothing on it names the seller
-- (the checks below read only the columns that say who a sender is, and a sender's parcels repeat them:
-- they run once per distinct name, phone, account, province and pickup address, `n` parcels each — ~8
-- times fewer rows than parcels — and each parcel takes its group's answer at the end. perf17, issue 18:
-- the row-level CTEs were the run's peak memory at 50,000 persons and spilled at 200,000)
with cod as materialized (
    select name_key, phone, remit_account, province, address, count(*) as n
    from stg_cod_shipments
    group by name_key, phone, remit_account, province, address
),

-- the pickup place as house number and street (or hamlet) and ward, without the ward's kind
-- (phường, P., xã …): the parts of an address clerks type alike. Once per distinct address (a
-- sender's parcels repeat it: ~120,000 addresses on 1.3 M parcels at 50,000 persons).
address_heads as (
    select address, pickup_place(address) as address_head
    from (select distinct address from cod where address is not null)
),

parcels as (
    select
        c.address, c.n, c.name_key, c.phone, c.remit_account, c.province, h.address_head,
        -- a name a fulfilment service trades under (`Kho hàng …`, `Kho vận …`, `Dịch vụ kho …`, `Fulfillment …`)
        coalesce(regexp_matches(c.name_key, getvariable('re_warehouse_name')), false) as warehouse_name
    from cod c
    left join address_heads h on h.address = c.address
),

-- remittance accounts collecting for many senders under their own names: a marketplace's
market_accounts as (
    select remit_account as account
    from cod
    where remit_account is not null
    group by remit_account
    having count(distinct name_key) >= coalesce(getvariable('shared_remit_min_senders'), 10)
),

-- Post offices and public drop-off points: places parcels of many phones, paid to many accounts,
-- leave from. They say nothing about who a sender is, so they are not counted as anyone's place.
public_places as (
    select address_head
    from parcels
    where address_head is not null
    group by address_head
    having count(distinct phone) > coalesce(getvariable('sender_max_places'), 3)
        and count(distinct remit_account) filter (where remit_account not in (select account from market_accounts)) > coalesce(getvariable('sender_max_places'), 3)
),

places as (
    select p.* replace (case when pp.address_head is null then p.address_head end as address_head), p.address_head as pickup_head
    from parcels p
    left join public_places pp on pp.address_head = p.address_head
),

-- A seller books parcels from a home (perhaps a former one too) and is paid into a few accounts of
-- their own. A phone, a (phone, name) or an account seen with more pickup places or remittance
-- accounts than one seller has belongs to someone booking for others: a fulfilment warehouse
-- writing its own name and phone, a carrier's hub phone. Such a value says who booked the parcel,
-- not whose it is.
phone_spread as (
    select phone,
        count(distinct address_head) as places,
        count(distinct remit_account) filter (where remit_account not in (select account from market_accounts)) as accounts
    from places
    where phone is not null
    group by phone
),

phone_name_spread as (
    select phone, name_key, count(distinct address_head) as places,
        count(distinct remit_account) filter (where remit_account not in (select account from market_accounts)) as accounts
    from places
    where phone is not null and name_key is not null
    group by phone, name_key
),

account_spread as (
    select remit_account, count(distinct address_head) as places
    from places
    where remit_account is not null and remit_account not in (select account from market_accounts)
    group by remit_account
),

-- A seller's homes share the seller's accounts. A phone and name whose parcels leave from two homes
-- each paid its own way — into one account, or never into any — and not the other's, books for two
-- people or more: a warehouse serving only two or three sellers, which the place count above
-- misses. A home here is a pickup place all of whose parcels under the phone and name are paid
-- alike (places where several accounts meet, or accounts and none, are where the warehouse hands
-- parcels over). The name counts: on a family phone each household writes its own.
value_homes as (
    select phone, name_key, address_head, min(paid) as paid
    from (select *, coalesce(remit_account, '') as paid from places)
    where phone is not null and name_key is not null and address_head is not null
        and (remit_account is null or remit_account not in (select account from market_accounts))
    group by phone, name_key, address_head
    -- (a place seen once says little: an old home, a parcel dropped off elsewhere)
    having count(distinct paid) = 1 and sum(n) > 1
),

-- The same from the other sources, whatever the parcels are paid into: a seller books from her own
-- home, where her registry, shop or website records give her own phone. A phone and name whose
-- parcels leave from two homes that are the registered addresses of two other people — records
-- there giving phones none of which the other home's records give, and none of them this phone —
-- books for them: a warehouse serving two clients into its one account, whatever its name says.
-- (each registered address as a pickup place once; homes only: a house number, not a hamlet)
registered as (
    select address, province, phone, nullif(regexp_replace(name_key, '^(ho kinh doanh|hkd|ho kd)\s+', ''), '') as name_key
    from stg_taxpayers
    union all select address, province, phone, name_key from stg_platform_sellers
    union all select address, province, phone, name_key from stg_websites
),

registered_places as (
    select address, pickup_place(address) as address_head
    from (select distinct address from registered where address is not null)
),

-- each record's place, province, phone and name (read by registered_phones and registered_owners)
registered_heads as (
    select rp.address_head, r.province, r.phone, r.name_key
    from registered r
    join registered_places rp using (address)
    where r.phone is not null and r.province is not null
),

registered_phones as (
    select distinct address_head, province, phone
    from registered_heads
    where regexp_matches(address_head, '^(so )?[0-9]')
),

-- A phone a registry, shop or website record gives as a person's own, written with that person's name (not
-- a warehouse's) on parcels leaving from the address of that record, is that person's: a household's
-- phone, on which the members each book under their own name and are paid into their own accounts (or a
-- relative's). Those accounts are many, but they are the family's, not a warehouse's clients' (issue 14,
-- fph12): the phone is not taken for a warehouse by its accounts (its places still count).
registered_owners as (
    select distinct address_head, province, phone, name_key
    from registered_heads
    where name_key is not null
),

own_phones as (
    select distinct p.phone
    from places p
    join registered_owners r
        on r.phone = p.phone and r.address_head = p.address_head and r.province = p.province and r.name_key = p.name_key
    -- (each member is paid into a few accounts of their own: one name written with many accounts is
    -- someone booking for others under one name, a warehouse registered at its depot; an anti join, not
    -- `not in`: Spark plans a null-aware `not in` as a broadcast nested loop)
    anti join (
        select distinct phone from phone_name_spread where accounts > coalesce(getvariable('sender_max_places'), 3)
    ) busy on busy.phone = p.phone
    where not p.warehouse_name
),

sender_homes as (
    select phone, name_key, province, address_head
    from places
    where phone is not null and name_key is not null and address_head is not null and province is not null
    group by phone, name_key, province, address_head
    -- (a place seen once says little: an old home, a parcel dropped off elsewhere)
    having sum(n) > 1
),

others_homes as (
    select h.phone, h.name_key, h.province, h.address_head
    from sender_homes h
    join registered_phones r on r.address_head = h.address_head and r.province = h.province
    group by all
    having count(*) filter (where r.phone = h.phone) = 0
),

-- two homes whose records give one phone between them are one person's (or one family's)
homes_sharing_a_phone as (
    select distinct a.address_head as head_a, a.province as province_a, b.address_head as head_b, b.province as province_b
    from registered_phones a
    join registered_phones b on b.phone = a.phone
),

-- A carrier pays the COD of a parcel into the account on its waybill. An account that passes that money
-- on to several other people's accounts (bank credits in their statements naming it as counterparty,
-- at least two holders other than its own by national ID) collects for others: a fulfilment warehouse
-- forwarding each client's share, or a marketplace paying its sellers out. A marketplace is paid on the
-- parcels of hundreds of senders; a warehouse on parcels it books itself, under one phone. So the phone
-- carrying most of such an account's parcels books for the people the money goes to (issue 14, fwd11),
-- and the account says who booked, not whose the parcel is.
forwarding_accounts as (
    select b.counterparty_account as account
    from stg_bank_transactions b
    -- (a holder's transfers between their own accounts are not passed on)
    anti join (select distinct account, national_id from stg_bank_transactions where national_id is not null) o
        on o.account = b.counterparty_account and o.national_id = b.national_id
    where b.direction = 'credit' and b.counterparty_account is not null
        and b.counterparty_account in (select remit_account from cod where remit_account is not null)
    group by b.counterparty_account
    having count(distinct coalesce(b.national_id, b.account)) >= coalesce(getvariable('forward_min_holders'), 2)
),

forwarding_phones as (
    select remit_account, phone
    from (
        select remit_account, phone, sum(n) as parcels, sum(sum(n)) over (partition by remit_account) as all_parcels
        from parcels
        where remit_account in (select account from forwarding_accounts) and phone is not null
        group by remit_account, phone)
    where parcels * 2 > all_parcels
),

-- the names the booking party writes on most of its parcels under that phone (its own, not a client's
-- written on a few of them)
forwarding_senders as (
    select phone, name_key
    from (
        select phone, name_key, sum(n) as parcels, sum(sum(n)) over (partition by phone) as all_parcels
        from parcels
        where phone in (select phone from forwarding_phones) and name_key is not null
        group by phone, name_key)
    where parcels * 4 >= all_parcels
),

books_for_several as (
    select phone, name_key
    from value_homes
    group by phone, name_key
    having count(distinct paid) > 1
    union
    select distinct a.phone, a.name_key
    from others_homes a
    join others_homes b on b.phone = a.phone and b.name_key = a.name_key and b.address_head > a.address_head
    anti join homes_sharing_a_phone s
        on s.head_a = a.address_head and s.province_a = a.province and s.head_b = b.address_head and s.province_b = b.province
    union
    select phone, name_key from forwarding_senders
),

-- A fulfilment service trades under a name that says so (`Kho hàng An Phát`, `Kho vận …`, `Dịch vụ
-- kho …`, `Fulfillment …`) and writes it, with its own phone, on the parcels it books for its clients.
-- One serving a single client has one name, one phone, one account and two places (its depot, the
-- client's home): by spread, a seller. Its name still says what it is. A phone written with such a
-- name is the warehouse's, unless a registry, shop or website record gives it as someone's own (a
-- wholesale seller calling its shop `Kho sỉ …` on its own phone keeps it); so is the name.
named_warehouses as (
    select distinct p.phone
    from parcels p
    where p.phone is not null and p.warehouse_name
      and p.phone not in (
          select phone from stg_taxpayers where phone is not null
          union all select phone from stg_platform_sellers where phone is not null
          union all select phone from stg_websites where phone is not null)
),

-- A phone a record gives as someone's own, written with a warehouse's name on parcels picked up from two
-- places or more, none of them an address a record giving the phone registers, books for others (issue 14,
-- away53): a seller trading as `Kho sỉ …` books from her registered home or shop (and keeps her phone, as
-- below); `HKD Kho order 247 Hùng`, registered elsewhere, wrote its name from its two clients' homes, paid
-- into a collection company's account or none, and the two clients were one seller. The phone says who
-- booked; its warehouse name is the warehouse's by the rules below (warehouse_written).
away_desks as (
    select p.phone
    from places p
    anti join registered_heads r on r.phone = p.phone and r.address_head = p.address_head
    where p.phone is not null and p.address_head is not null and p.warehouse_name
        and p.phone in (select phone from registered_heads)
    group by p.phone
    having count(distinct p.address_head) > 1
),

-- A phone that writes a warehouse's name on parcels paid into more than one account (besides the collection
-- companies') books for others, even when a record gives it as someone's own, which named_warehouses spares:
-- the operator who sells too (issue 14, wh52). The phone says who booked; the names on it keep the rules
-- above and below (a client's shop may be called `Kho order …`), so it counts for hub_phone only.
registered_desks as (
    select p.phone
    from parcels p
    where p.phone is not null and p.warehouse_name and p.remit_account not in (select account from market_accounts)
    group by p.phone
    having count(distinct p.remit_account) > 1
    union
    select phone from away_desks
),

-- a warehouse's name (found with its phone above) is the warehouse's on parcels where the phone is missing too
hub_names as (
    select distinct name_key from phone_name_spread where places > coalesce(getvariable('sender_max_places'), 3)
    union
    select name_key from books_for_several
    union
    select distinct p.name_key from parcels p join named_warehouses nw on nw.phone = p.phone
    where p.warehouse_name
),

flagged_values as (
    select
        p.*,
        coalesce(ps.places > coalesce(getvariable('sender_max_places'), 3) or (ps.accounts > coalesce(getvariable('sender_max_places'), 3) and op.phone is null), false)
            or b.phone is not null or nw.phone is not null or fp.phone is not null or rd.phone is not null as hub_phone,
        coalesce(pn.places > coalesce(getvariable('sender_max_places'), 3), false) or b.phone is not null
            or (nw.phone is not null and p.warehouse_name)
            or (p.phone is null and p.name_key in (select name_key from hub_names)) as hub_name,
        -- a warehouse's phone by its name alone (its places and accounts are one seller's)
        nw.phone is not null and b.phone is null
            and not coalesce(ps.places > coalesce(getvariable('sender_max_places'), 3) or (ps.accounts > coalesce(getvariable('sender_max_places'), 3) and op.phone is null), false)
            as named_only,
        coalesce(a.places > coalesce(getvariable('sender_max_places'), 3), false) or fa.remit_account is not null as hub_account,
        fa.remit_account is not null as forwarding
    from places p
    left join phone_spread ps on ps.phone = p.phone
    left join own_phones op on op.phone = p.phone
    left join phone_name_spread pn on pn.phone = p.phone and pn.name_key = p.name_key
    left join account_spread a on a.remit_account = p.remit_account
    left join books_for_several b on b.phone = p.phone and b.name_key = p.name_key
    left join named_warehouses nw on nw.phone = p.phone
    left join registered_desks rd on rd.phone = p.phone
    left join (select distinct phone from forwarding_phones) fp on fp.phone = p.phone
    -- (a marketplace's collection account keeps the rules below: many senders, no one booking for them)
    left join (select distinct remit_account from forwarding_phones) fa on fa.remit_account = p.remit_account
),

-- The places where a warehouse's phone hands over parcels paid in several ways (seen with several
-- remittance accounts, or with and without one): its depot
hub_places as (
    select phone, address_head
    from flagged_values
    where hub_phone
    group by phone, address_head
    having count(distinct coalesce(remit_account, '')) > 1
),

-- A name that says a warehouse (`Fulfillment Hà Thành`), written with a phone that books for others at
-- its depot or from more than one place, is the warehouse's too, however few places that is: on a
-- client's parcels it says who booked them, not whose they are (hw26: a self-selling operator's shop
-- record gives the phone as hers, so `named_warehouses` does not take it, and the name alone joined
-- clients through the depot). A client's shop called `Kho order …`, which the warehouse writes from
-- her home alone, stays hers.
warehouse_written as (
    select f.phone, f.name_key
    from flagged_values f
    left join hub_places h on h.phone = f.phone and h.address_head = f.address_head
    where f.warehouse_name and f.hub_phone
    group by f.phone, f.name_key
    having count(distinct f.address_head) > 1 or count(h.phone) > 0
),

flagged as (
    select f.* replace (f.hub_name or ww.phone is not null as hub_name),
        -- picked up at its warehouse's depot (hub_places)
        h.phone is not null as at_depot
    from flagged_values f
    left join warehouse_written ww on ww.phone = f.phone and ww.name_key = f.name_key
    left join hub_places h on h.phone = f.phone and h.address_head = f.address_head
),

-- Under a warehouse's phone, an account stands for the seller when it comes from one pickup place
-- (the seller's), or when the seller also uses it on parcels booked without a warehouse. Places where the warehouse itself hands parcels over (seen with several
-- remittance accounts, or with and without one) are not counted (hub_places, above); an account seen from two sellers'
-- places, or only from the warehouse's, is the warehouse's.
hub_account_places as (
    select f.phone, f.remit_account, count(distinct f.address_head) filter (where h.phone is null) as places
    from flagged f
    left join hub_places h on h.phone = f.phone and h.address_head is not distinct from f.address_head
    where f.hub_phone and f.remit_account is not null
    group by f.phone, f.remit_account
),

-- accounts the seller also uses on parcels booked without a warehouse: theirs, wherever seen (a parcel
-- under the warehouse's name with its phone missing is the warehouse's booking too)
own_accounts as (
    select distinct remit_account
    from flagged
    where not hub_phone and not hub_name and not hub_account and remit_account is not null
),

-- the names a bank holds each account in (its holder's, as written in its files)
account_holders as (
    select distinct account, name_key from stg_bank_transactions where account is not null
),

-- accounts a bank holds for someone other than a warehouse (the holder's name does not say one). Under a
-- phone found a warehouse's by its name alone (one seller's places and accounts), the pickup places say nothing of whose an account is (a
-- single client's parcels leave from the depot and from home alike, and an account from one home may be
-- the warehouse's own, paid for its one client there): the account is the client's when a bank holds it
-- so, or the client uses it on parcels booked without the warehouse; otherwise the warehouse's (a
-- warehouse found by its spread or by two homes paid apart keeps the rule above: an account from one
-- home is that home's seller's)
held_accounts as (
    select distinct account as remit_account
    from account_holders
    where not coalesce(regexp_matches(name_key, getvariable('re_warehouse_name')), false)
),

-- accounts found the warehouse's under some warehouse phone: the warehouse's too on parcels under
-- its name whose phone is missing (nothing else says which warehouse booked them)
warehouse_accounts as (
    select distinct hp.remit_account
    from hub_account_places hp
    anti join own_accounts o on o.remit_account = hp.remit_account
    where hp.places <> 1
),

-- The name a warehouse writes as its own on the parcels it books (a name the rules above found its):
-- written on parcels paid into accounts a bank holds in other people's names, it is the booker's, not
-- theirs (namesakes a warehouse books for, each paid into her own account, are not)
booking_names as (
    select distinct f.phone, f.name_key
    from flagged f
    join account_holders b on b.account = f.remit_account
    where f.hub_phone and f.hub_name and b.name_key <> f.name_key
),

-- An account a bank holds in a booking name, or in the name the phone of a booking name writes at its
-- depot into that account (its operator's, who sells too; issue 14, hb49): on a parcel the warehouse
-- books from a client's home, paid into it, the account says who booked, as the name and phone do, not
-- whose the parcel is (the home does, int_record_identity.sql). At the depot, where the operator's own
-- parcels and those clients hand over look alike, the rules above stand. (A family phone taken for a
-- warehouse's writes no booking name: each household's names go into its own account.)
warehouse_held_accounts as (
    select distinct f.phone, f.remit_account
    from flagged f
    left join booking_names bn on bn.phone = f.phone and bn.name_key = f.name_key
    left join (select distinct phone from booking_names) bp on bp.phone = f.phone
    semi join account_holders b on b.account = f.remit_account and b.name_key = f.name_key
    where f.hub_phone and f.remit_account is not null
        and (bn.phone is not null or (f.at_depot and bp.phone is not null))
),

checked as (
    select f.* replace (
        f.hub_account
            or (not f.named_only and coalesce(hp.places <> 1, false) and o.remit_account is null)
            or (f.named_only and f.remit_account is not null and o.remit_account is null and ha.remit_account is null)
            or (f.hub_name and f.phone is null and wa.remit_account is not null)
            or (wh.phone is not null and not f.at_depot) as hub_account
    )
    from flagged f
    -- (the warehouse's phone as an equi-join key: a condition on f alone in ON makes DuckDB loop over all pairs)
    left join hub_account_places hp
        on hp.phone = case when f.hub_phone then f.phone end and hp.remit_account = f.remit_account
    left join own_accounts o on o.remit_account = f.remit_account
    left join warehouse_accounts wa on wa.remit_account = case when f.phone is null then f.remit_account end
    left join held_accounts ha on ha.remit_account = f.remit_account
    left join warehouse_held_accounts wh
        on wh.phone = case when f.hub_phone then f.phone end and wh.remit_account = f.remit_account
),

-- A marketplace's collection account is paid on the parcels of every seller of the platform, so it
-- never stands for a seller alone: on a parcel with neither the seller's own name nor phone left
-- (a warehouse's name and phone) it names nobody; a warehouse whose waybills write each seller's shop
-- name has many names on its own account, so it passes for a market's. With a name but no phone it
-- leaves a name and a province, which namesakes share: the pickup place goes with them.
own as (
    select
        c.*,
        c.hub_phone or c.hub_name or c.hub_account as via_hub,
        case when not c.hub_name then c.name_key end as own_name_key,
        case when not c.hub_phone then c.phone end as own_phone,
        case
            when not c.hub_account
                and not (m.account is not null and (c.hub_name or c.name_key is null) and (c.hub_phone or c.phone is null))
                then c.remit_account
        end as own_account,
        c.phone is null and (c.remit_account is null or m.account is not null) as name_only
    from checked c
    left join market_accounts m on m.account = c.remit_account
),

-- A pickup place that is one household's home: a house number (not a hamlet, a market or a
-- building's name alone, places many households share), not a post office, and not where a
-- warehouse hands over parcels paid in several ways (its depot). A warehouse parcel with nothing
-- of the seller's own left is given, after clustering, to the one seller whose own records come
-- from that home (int_record_identity.sql, home_owner); the seller's own parcels booked from it
-- are such records.
homes as (
    select
        o.*,
        case
            when regexp_matches(o.address_head, '^(so )?[0-9]') and not o.at_depot then o.address_head
        end as home_place,
        -- the place the parcel was picked up from, unless a public one or the warehouse's depot (a
        -- house number or a hamlet: whose it is, the warehouse's own waybills from there may say)
        case when not o.at_depot then o.address_head end as booked_place
    from own o
),

final as (
    select
        t.record_key, t.sender_name, h.province, t.address, h.pickup_head as address_head, h.home_place, h.booked_place,
        t.cod_amount,
        t.status, h.via_hub,
        h.own_name_key as name_key, h.own_phone as phone, h.own_account as remit_account,
        -- the values of whoever booked for the seller: a related party, never the seller's identity
        case when h.hub_name then h.name_key end as hub_name_key,
        case when h.hub_phone then h.phone end as hub_phone,
        case when h.hub_account then h.remit_account end as hub_account,
        -- an account passing the COD paid into it on to its clients (int_bank_credits_classified: their
        -- credits from it are that COD, not trade)
        case when h.forwarding then h.remit_account end as forwarding_account,
        -- on a parcel with nothing of the seller's own, the account its COD is paid into, whatever it was
        -- found to be (a warehouse's, a collector's or a market's): whoever holds it is not the seller
        -- (int_record_identity.sql, given_parcels)
        case
            when h.via_hub and h.own_name_key is null and h.own_phone is null and h.own_account is null
                then h.remit_account
        end as paid_account,
        case
            -- as before the warehouse check: one profile per name, phone, account and province
            when not h.via_hub and not h.name_only
                then md5(concat_ws('|', h.name_key, h.phone, h.remit_account, h.province))
            when not h.via_hub then md5(concat_ws('|', h.name_key, h.phone, h.remit_account, h.province, h.pickup_head))
            -- booked by a warehouse: split by what is left of the seller's own, and the pickup place
            when h.own_name_key is not null or h.own_phone is not null or h.own_account is not null
                then md5(concat_ws('|', 'via_hub', h.own_name_key, h.own_phone, h.own_account, h.province, h.address_head))
        end as sender_key
    from homes h
    -- (each parcel its group's row: the group's columns null-safe equal, as `group by` put it there)
    join stg_cod_shipments t
        on t.name_key is not distinct from h.name_key and t.phone is not distinct from h.phone
        and t.remit_account is not distinct from h.remit_account and t.province is not distinct from h.province
        and t.address is not distinct from h.address
)

select * from final
