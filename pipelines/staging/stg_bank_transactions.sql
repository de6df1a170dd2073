-- one row per bank transaction (bank + txn_id); a later delivery restates the same transaction
-- restatements are found on the key columns alone and the rows they replace left out before any
-- normalising: no wide sort, and the rest keep the raw table's order (deterministic, parallel writes)
with restated as (
    select _file_id, _line from raw_bank_transactions
    qualify row_number() over (partition by record_key_text(bank), record_key_text(txn_id) order by _load_seq desc, _line desc) > 1
),

source as (
    select r.* from raw_bank_transactions as r
    left join restated as x on x._file_id = r._file_id and x._line = r._line
    where x._line is null
),

-- each bank name normalised once (a dozen per delivery) and joined back: norm_bank's scalar subquery
-- here would hold every wide row in memory until the distinct names are done (the names are read
-- from the raw table: source read twice would be materialised whole)
banks as (
    select bank_text, norm_bank_row(bank_text) as bank_norm
    from (select bank as bank_text from raw_bank_transactions union select counterparty_bank from raw_bank_transactions)
    where bank_text is not null
),

renamed as (
    select
        trim(bank) || ':' || trim(txn_id)              as record_key,
        upper(trim(bank))                              as bank,
        norm_account_of(b.bank_norm, account)          as account,
        trim(regexp_replace(holder_name, '\s+', ' ', 'g')) as holder_name,
        name_key(holder_name)                          as name_key,
        norm_national_id(holder_national_id)           as national_id,
        tax_id_root(holder_tax_id)                   as tax_id,
        trim(txn_id)                                   as txn_id,
        cast(trim(booked_at) as timestamptz)           as booked_at,
        cast(trim(amount) as bigint)                   as amount,
        lower(trim(direction))                         as direction,
        norm_account_of(cb.bank_norm, counterparty_account) as counterparty_account,
        trim(counterparty_name)                        as counterparty_name,
        -- free text only feeds pattern matching: lower case without marks is enough (no space collapsing)
        lower(strip_accents(translate(counterparty_name, 'đĐ', 'dD'))) as counterparty_key,
        trim(description)                                             as description,
        lower(strip_accents(translate(description, 'đĐ', 'dD')))       as description_key,
        _file_id,
        _line,
        _load_seq
    from source
    left join banks as b on b.bank_text = source.bank
    left join banks as cb on cb.bank_text = source.counterparty_bank
),

final as (
    select *, year(booked_at) as tax_year from renamed
)

select * from final
