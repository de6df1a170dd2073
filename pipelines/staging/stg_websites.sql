-- one row per e-commerce website or app (normalised domain / store id)
with source as (
    select * from raw_websites
),

renamed as (
    select
        norm_domain(domain)                            as record_key,
        norm_domain(domain)                            as domain,
        lower(trim(kind))                              as kind,
        trim(regexp_replace(owner_name, '\s+', ' ', 'g')) as owner_name,
        name_key(owner_name)                           as name_key,
        tax_id_root(owner_tax_id)                    as tax_id,
        norm_national_id(owner_national_id)            as national_id,
        norm_phone(phone)                              as phone,
        norm_email(email)                              as email,
        trim(address)                                  as address,
        coalesce(norm_province(province), norm_province(address)) as province,
        try_cast(trim(notified_on) as date)            as notified_on,
        lower(trim(status))                            as status,
        _file_id,
        _line,
        _load_seq
    from source
),

final as (
    select * from renamed
    where domain is not null
    qualify row_number() over (partition by domain order by _load_seq desc, _line desc) = 1
)

select * from final
