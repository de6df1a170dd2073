-- one row per tax code as filed (a branch -NNN apart from its head office) and period (annual YYYY or quarterly YYYY-Qn); later deliveries restate earlier ones
with source as (
    select * from raw_declarations
),

renamed as (
    select
        tax_id_root(tax_id)                          as tax_id,
        coalesce(norm_tax_id(tax_id), record_key_text(tax_id)) as filer_tax_id,
        upper(trim(period))                            as period,
        cast(left(trim(period), 4) as integer)         as tax_year,
        case when length(trim(period)) = 4 then 'year'
             when trim(period) ilike '%-Q%' then 'quarter'
             else 'month' end                          as period_kind,
        cast(trim(declared_revenue) as bigint)         as declared_revenue,
        coalesce(cast(nullif(trim(tax_paid), '') as bigint), 0) as tax_paid,
        try_cast(trim(filed_on) as date)               as filed_on,
        _file_id,
        _line,
        _load_seq
    from source
),

final as (
    select * from renamed
    where tax_id is not null
    qualify row_number() over (partition by filer_tax_id, record_key_text(period) order by _load_seq desc, _line desc) = 1
)

select * from final
