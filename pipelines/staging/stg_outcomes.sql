-- one row per audited subject and period (past audits and inspections)
with source as (
    select * from raw_outcomes
),

renamed as (
    select
        lower(trim(subject_type))                      as subject_type,
        case lower(trim(subject_type))
            when 'tax_id' then tax_id_root(subject_id)
            when 'national_id' then norm_national_id(subject_id)
            when 'phone' then norm_phone(subject_id)
            when 'domain' then norm_domain(subject_id)
            when 'entity_id' then upper(trim(subject_id))
            when 'account' then norm_account(split_part(trim(subject_id), ':', 1), trim(substr(trim(subject_id), strpos(trim(subject_id), ':') + 1)))
            else lower(split_part(trim(subject_id), ':', 1)) || ':' || trim(substr(trim(subject_id), strpos(trim(subject_id), ':') + 1))
        end                                            as subject_id,
        trim(period)                                   as period,
        cast(left(trim(period), 4) as integer)         as tax_year,
        lower(trim(result))                            as result,
        try_cast(nullif(trim(assessed_revenue), '') as bigint) as assessed_revenue,
        try_cast(nullif(trim(assessed_tax), '') as bigint) as assessed_tax,
        try_cast(trim(closed_on) as date)              as closed_on,
        coalesce(lower(trim(selection)), 'risk')       as selection,
        _file_id,
        _line,
        _load_seq
    from source
),

final as (
    select * from renamed
    qualify row_number() over (partition by subject_type, subject_id, record_key_text(period) order by _load_seq desc, _line desc) = 1
)

select * from final
