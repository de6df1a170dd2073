-- one row per platform shop per period; a later delivery restates the same shop and period
-- restatements are found on the key columns alone and the rows they replace left out before any
-- normalising: no wide sort, and the rest keep the raw table's order (deterministic, parallel writes)
with restated as (
    select _file_id, _line from raw_platform_sellers
    -- only a key seen twice can be restated: a 64-bit hash of the key finds those with one small
    -- aggregate (none, usually), where the window alone sorted every row; it confirms on the keys
    where hash(record_key_text(platform), record_key_text(shop_id), record_key_text(period)) in (
        select hash(record_key_text(platform), record_key_text(shop_id), record_key_text(period)) as h from raw_platform_sellers group by h having count(*) > 1
    )
    qualify row_number() over (partition by record_key_text(platform), record_key_text(shop_id), record_key_text(period) order by _load_seq desc, _line desc) > 1
),

source as (
    select r.* from raw_platform_sellers as r
    left join restated as x on x._file_id = r._file_id and x._line = r._line
    where x._line is null
),

-- each province text and address, and each payout bank name, normalised once and joined back (most
-- repeat): norm_province's and norm_bank's scalar subqueries here would hold every wide row in memory
-- until the distinct values are done (the values are read from the raw table: source read twice would
-- be materialised whole)
provinces as (
    select province_text, norm_province_row(province_text) as province_norm
    from (select distinct province as province_text from raw_platform_sellers)
    where province_text is not null
),

-- an address is read for its province only where the province column gives none (most rows name
-- their province: at 50,000 persons 18,000 of the 119,000 distinct parcel addresses are needed)
addresses as (
    select address_text, norm_province_row(address_text) as province_norm
    from (
        select distinct r.address as address_text
        from raw_platform_sellers as r
        left join provinces as p on p.province_text = r.province
        where p.province_norm is null
    )
    where address_text is not null
),

banks as (
    select bank_text, norm_bank_row(bank_text) as bank_norm
    from (select distinct payout_bank as bank_text from raw_platform_sellers)
    where bank_text is not null
),

renamed as (
    select
        trim(platform) || ':' || trim(shop_id) || ':' || trim(period) as record_key,
        lower(trim(platform))                          as platform,
        trim(shop_id)                                  as shop_id,
        lower(trim(platform)) || ':' || trim(shop_id)  as shop_key,
        trim(shop_name)                                as shop_name,
        trim(regexp_replace(owner_name, '\s+', ' ', 'g')) as owner_name,
        name_key(owner_name)                           as name_key,
        norm_national_id(owner_national_id)            as national_id,
        tax_id_root(owner_tax_id)                    as tax_id,
        norm_phone(phone)                              as phone,
        norm_email(email)                              as email,
        trim(address)                                  as address,
        coalesce(p.province_norm, a.province_norm)     as province,
        norm_account_of(b.bank_norm, payout_account)   as payout_account,
        trim(period)                                   as period,
        cast(left(trim(period), 4) as integer)         as tax_year,
        cast(trim(gmv) as bigint)                      as gmv,
        coalesce(cast(nullif(trim(orders), '') as bigint), 0) as orders,
        coalesce(cast(nullif(trim(tax_withheld), '') as bigint), 0) as tax_withheld,
        _file_id,
        _line,
        _load_seq
    from source
    left join provinces as p on p.province_text = source.province
    left join addresses as a on a.address_text = source.address
    left join banks as b on b.bank_text = source.payout_bank
),

final as (
    select * from renamed
)

select * from final
