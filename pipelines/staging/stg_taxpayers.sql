-- one row per taxpayer (tax code as delivered); a later delivery restates an earlier one
with source as (
    select * from raw_taxpayers
),

renamed as (
    select
        trim(tax_id)                                        as record_key,
        tax_id_root(tax_id)                               as tax_id,
        norm_tax_id(tax_id)                                 as tax_id_full,
        lower(trim(taxpayer_type))                          as taxpayer_type,
        trim(regexp_replace(name, '\s+', ' ', 'g'))         as name,
        name_key(name)                                      as name_key,
        norm_national_id(national_id)                       as national_id,
        norm_phone(phone)                                   as phone,
        norm_email(email)                                   as email,
        trim(address)                                       as address,
        trim(ward)                                          as ward,
        coalesce(norm_province(province), norm_province(address)) as province,
        coalesce(lower(trim(activity_group)), 'goods')      as activity_group,
        try_cast(trim(registered_on) as date)               as registered_on,
        coalesce(lower(trim(status)), 'active')             as status,
        _file_id,
        _line,
        _load_seq
    from source
),

final as (
    select * from renamed
    qualify row_number() over (partition by record_key_text(record_key) order by _load_seq desc, _line desc) = 1
)

select * from final
