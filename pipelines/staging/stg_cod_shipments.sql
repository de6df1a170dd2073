-- one row per parcel (carrier + waybill); a later delivery restates the same waybill
-- restatements are found on the key columns alone and the rows they replace left out before any
-- normalising: no wide sort, and the rest keep the raw table's order (deterministic, parallel writes)
with restated as (
    select _file_id, _line from raw_cod_shipments
    qualify row_number() over (partition by record_key_text(carrier), record_key_text(waybill) order by _load_seq desc, _line desc) > 1
),

source as (
    select r.* from raw_cod_shipments as r
    left join restated as x on x._file_id = r._file_id and x._line = r._line
    where x._line is null
),

renamed as (
    select
        trim(carrier) || ':' || trim(waybill)          as record_key,
        lower(trim(carrier))                           as carrier,
        trim(waybill)                                  as waybill,
        trim(regexp_replace(sender_name, '\s+', ' ', 'g')) as sender_name,
        name_key(sender_name)                          as name_key,
        norm_phone(sender_phone)                       as phone,
        trim(sender_address)                           as address,
        coalesce(norm_province(sender_province), norm_province(sender_address)) as province,
        cast(trim(picked_up_on) as date)               as picked_up_on,
        cast(trim(cod_amount) as bigint)               as cod_amount,
        coalesce(lower(trim(status)), 'delivered')     as status,
        norm_account(remit_bank, remit_account)        as remit_account,
        _file_id,
        _line,
        _load_seq
    from source
),

final as (
    select *, year(picked_up_on) as tax_year from renamed
)

select * from final
