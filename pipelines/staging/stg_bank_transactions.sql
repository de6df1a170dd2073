-- one row per bank transaction (bank + txn_id); a later delivery restates the same transaction
-- restatements are found on the key columns alone and the rows they replace left out before any
-- normalising: no wide sort, and the rest keep the raw table's order (deterministic, parallel writes)
with restated as (
    select _file_id, _line from raw_bank_transactions
    -- only a key seen twice can be restated: a 64-bit hash of the key finds those with one small
    -- aggregate (none, usually), where the window alone sorted every row; it confirms on the keys
    where hash(record_key_text(bank), record_key_text(txn_id)) in (
        select hash(record_key_text(bank), record_key_text(txn_id)) as h from raw_bank_transactions group by h having count(*) > 1
    )
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

-- the same for the names and the accounts, which repeat on every line of an account (at 50,000
-- persons 16,000 holder names, 37,000 counterparty names and 47,000 accounts for 1.8 M lines): each
-- normalised once and joined back, not once per line (issue 18, sp18)
holders as (
    select holder_text, trim(regexp_replace(holder_text, '\s+', ' ', 'g')) as holder_name, name_key(holder_text) as name_key
    from (select distinct holder_name as holder_text from raw_bank_transactions)
    where holder_text is not null
),

counterparties as (
    select
        counterparty_text,
        trim(counterparty_text) as counterparty_name,
        -- free text only feeds pattern matching: lower case without marks is enough (no space collapsing)
        lower(strip_accents(translate(counterparty_text, 'đĐ', 'dD'))) as counterparty_key
    from (select distinct counterparty_name as counterparty_text from raw_bank_transactions)
    where counterparty_text is not null
),

accounts as (
    select a.bank_text, a.account_text, norm_account_of(b.bank_norm, a.account_text) as account
    from (select distinct bank as bank_text, account as account_text from raw_bank_transactions) as a
    left join banks as b using (bank_text)
    where a.account_text is not null
),

renamed as (
    select
        trim(bank) || ':' || trim(txn_id)              as record_key,
        upper(trim(bank))                              as bank,
        a.account                                      as account,
        h.holder_name                                  as holder_name,
        h.name_key                                     as name_key,
        norm_national_id(holder_national_id)           as national_id,
        tax_id_root(holder_tax_id)                   as tax_id,
        trim(txn_id)                                   as txn_id,
        cast(trim(booked_at) as timestamptz)           as booked_at,
        cast(trim(amount) as bigint)                   as amount,
        lower(trim(direction))                         as direction,
        norm_account_of(cb.bank_norm, counterparty_account) as counterparty_account,
        cp.counterparty_name                           as counterparty_name,
        cp.counterparty_key                            as counterparty_key,
        trim(description)                                             as description,
        lower(strip_accents(translate(description, 'đĐ', 'dD')))       as description_key,
        _file_id,
        _line,
        _load_seq
    from source
    left join banks as cb on cb.bank_text = source.counterparty_bank
    left join accounts as a on a.bank_text is not distinct from source.bank and a.account_text = source.account
    left join holders as h on h.holder_text = source.holder_name
    left join counterparties as cp on cp.counterparty_text = source.counterparty_name
),

final as (
    select *, year(booked_at) as tax_year from renamed
)

select * from final
