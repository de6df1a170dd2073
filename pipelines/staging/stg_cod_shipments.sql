-- one row per parcel (carrier + waybill); a later delivery restates the same waybill
-- restatements are found on the key columns alone and the rows they replace left out before any
-- normalising: no wide sort, and the rest keep the raw table's order (deterministic, parallel writes)
with restated as (
    select _file_id, _line from raw_cod_shipments
    -- only a key seen twice can be restated: a 64-bit hash of the key finds those with one small
    -- aggregate (none, usually), where the window alone sorted every row; it confirms on the keys
    where hash(record_key_text(carrier), record_key_text(waybill)) in (
        select hash(record_key_text(carrier), record_key_text(waybill)) as h from raw_cod_shipments group by h having count(*) > 1
    )
    qualify row_number() over (partition by record_key_text(carrier), record_key_text(waybill) order by _load_seq desc, _line desc) > 1
),

source as (
    select r.* from raw_cod_shipments as r
    left join restated as x on x._file_id = r._file_id and x._line = r._line
    where x._line is null
),

-- each province text and address, and each bank name, normalised once and joined back (most repeat):
-- norm_province's and norm_bank's scalar subqueries here would hold every wide row in memory until
-- the distinct values are done (the values are read from the raw table: source read twice would be
-- materialised whole)
provinces as (
    select province_text, norm_province_row(province_text) as province_norm
    from (select distinct sender_province as province_text from raw_cod_shipments)
    where province_text is not null
),

-- an address is read for its province only where the province column gives none (most rows name
-- their province: at 50,000 persons 18,000 of the 119,000 distinct parcel addresses are needed)
addresses as (
    select address_text, norm_province_row(address_text) as province_norm
    from (
        select distinct r.sender_address as address_text
        from raw_cod_shipments as r
        left join provinces as p on p.province_text = r.sender_province
        where p.province_norm is null
    )
    where address_text is not null
),

banks as (
    select bank_text, norm_bank_row(bank_text) as bank_norm
    from (select distinct remit_bank as bank_text from raw_cod_shipments)
    where bank_text is not null
),

-- the same for the senders' names, phones and accounts, which repeat on every parcel of a sender (at
-- 50,000 persons 40,000 names, 69,000 phones and 15,000 accounts for 1.3 M parcels; issue 18, sp18)
names as (
    select name_text, trim(regexp_replace(name_text, '\s+', ' ', 'g')) as sender_name, name_key(name_text) as name_key
    from (select distinct sender_name as name_text from raw_cod_shipments)
    where name_text is not null
),

phones as (
    select phone_text, norm_phone(phone_text) as phone
    from (select distinct sender_phone as phone_text from raw_cod_shipments)
    where phone_text is not null
),

accounts as (
    select a.bank_text, a.account_text, norm_account_of(b.bank_norm, a.account_text) as remit_account
    from (select distinct remit_bank as bank_text, remit_account as account_text from raw_cod_shipments) as a
    left join banks as b using (bank_text)
    where a.account_text is not null
),

renamed as (
    select
        trim(carrier) || ':' || trim(waybill)          as record_key,
        lower(trim(carrier))                           as carrier,
        trim(waybill)                                  as waybill,
        n.sender_name                                  as sender_name,
        n.name_key                                     as name_key,
        ph.phone                                       as phone,
        trim(sender_address)                           as address,
        coalesce(p.province_norm, a.province_norm)     as province,
        cast(trim(picked_up_on) as date)               as picked_up_on,
        cast(trim(cod_amount) as bigint)               as cod_amount,
        coalesce(lower(trim(status)), 'delivered')     as status,
        ac.remit_account                               as remit_account,
        _file_id,
        _line,
        _load_seq
    from source
    left join provinces as p on p.province_text = source.sender_province
    left join addresses as a on a.address_text = source.sender_address
    left join names as n on n.name_text = source.sender_name
    left join phones as ph on ph.phone_text = source.sender_phone
    left join accounts as ac on ac.bank_text is not distinct from source.remit_bank and ac.account_text = source.remit_account
),

final as (
    select *, year(picked_up_on) as tax_year from renamed
)

select * from final
