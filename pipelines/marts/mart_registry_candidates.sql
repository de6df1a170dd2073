-- one row per entity with no registry record and the registered taxpayer it most likely is (best candidate
-- only); and per registered entity seen selling beyond its returns by what a registered housemate declares
-- that nothing seen of her explains (that housemate)
-- Evidence and its weight (combined as 1 − Π(1 − w) over the kinds found; docs/domain.md):
--   a phone, e-mail, account, tax code or national ID both carry (0,9; the resolver may have kept them apart,
--   e.g. a company's registry record and its owner's personal account; a phone, e-mail or account of a
--   taxpayer of another given name 0,1: a housemate's, contact_evidence), a national ID one typo
--   apart (0,7), the same normalised name in the same province (0,5; name and province may come
--   from different records of the entity; provinces are normalised to the current 34, so an old
--   province and its new one compare equal); else a rare name (at most 3 registered holders)
--   nationwide: 0,3 for an entity seen in no province (a bare bank account), 0,15 for one seen
--   elsewhere (a move the registry does not know). A contact carried by more than 3 registered
--   taxpayers is ignored; a contact or name shared by several splits its weight among them.
--   Further: declarations nothing seen of a namesake, of a shop's declared owner or of a taxpayer at
--   a COD profile's pickup home explains, about the entity's seen revenue (0,85: right for 77 of the
--   80 entities of the top 500 it named on six independent worlds, 25 of 28 on the bench's), a shop's
--   declared owner (0,35) or, for a shop that keeps neither
--   identity, the holder of the account it is paid into (0,35) or the declared owners of the other
--   shops paid there (0,35 split among them), and a registered address at a COD profile's pickup
--   place (0,5 a house, 0,25 a hamlet; address_evidence); see below.
--   For a registered entity (a relative's account in the relative's registry record): a taxpayer
--   registered at a house of its (0,5; a hamlet 0,25) whose unexplained declarations, with the entity's
--   own returns, are what the entity is seen selling (0,85; household_evidence, below).
--   For an account under a rare registered name (a relative's account opened without his ID): a
--   taxpayer registered at the named holder's house whose unexplained declarations are what the
--   account is seen selling (the name's weight + 0,85; holder_household_matches, below).
with entities as (
    select * from int_entities
),

-- each registry record's entity, with the record's status
registry_records as (
    select distinct e.entity_id, e.tax_id as candidate_tax_id, t.tax_id as code, t.status
    from entities e
    join stg_taxpayers t on t.record_key = e.source_key and e.source = 'taxpayers'
),

registered as (
    select distinct entity_id, candidate_tax_id from registry_records where status = 'active'
),

-- A registry's status lags what taxpayers do: a household suspended in the registry may go on filing
-- its quarterly returns, and one that files for the tax year is registered in fact. Such a lapsed
-- code is a candidate on its returns alone (`declared`, amount_matches below: what it declares
-- beyond what is seen of it is about the seller's seen revenue, with a name of the seller's), never
-- on a name, a place or a contact: those point to namesakes and relatives too often for a code the
-- registry itself does not call active (issue 14, sus28: on the independent worlds compliant sellers
-- with a suspended code and quarterly returns for the year, their bank accounts apart, were listed as
-- unregistered in the top 100 of five of 24 worlds; admitted on every kind of evidence, the lapsed
-- codes also named undeclared sellers through names, e-mails and pickup places). A suspended or closed
-- code that files nothing for the year is no candidate.
lapsed_filers as (
    select distinct entity_id, candidate_tax_id
    from registry_records
    where status <> 'active'
      and code in (
        select tax_id from stg_declarations
        where tax_year = getvariable('tax_year')::integer and declared_revenue > 0
      )
),

-- every value of a registered entity (all its records: the registry's own and those already merged)
registered_values as (
    select r.entity_id, r.candidate_tax_id, e.phone, e.email, e.account, e.tax_id, e.national_id, e.name_key, e.province
    from registered r
    join entities e using (entity_id)
),

-- with no registry record at all (an entity holding only a closed or suspended code is a taxpayer
-- the registry knows: lapsed, not unregistered; its own record tells who it is)
unregistered as (
    select * from entities
    where entity_id not in (select entity_id from entities where source = 'taxpayers')
),

contacts as (
    select distinct entity_id, candidate_tax_id, kind, value
    from registered_values,
    lateral (select unnest(['phone', 'email', 'account', 'tax_id']) as kind, unnest([phone, email, account, tax_id]) as value)
    where value is not null
),

contact_spread as (
    select kind, value, count(distinct entity_id) as holders from contacts group by kind, value
),

-- the contacts that count, kept apart first (joined the other way round, an unregistered account
-- shared by many registered entities made tens of millions of rows before the filter)
rare_contacts as materialized (
    select c.entity_id, c.kind, c.value, s.holders
    from contacts c
    join contact_spread s on s.kind = c.kind and s.value = c.value
    where s.holders <= 3
),

contact_pairs as (
    select distinct u.entity_id, c.entity_id as candidate_id, c.kind, c.holders
    from unregistered u,
    -- a tax code: an account whose holder gave a company's code, a shop declaring its owner's
    lateral (select unnest(['phone', 'email', 'account', 'tax_id']) as kind,
                    unnest([u.phone, u.email, u.account, u.tax_id]) as value) v
    join rare_contacts c on c.kind = v.kind and c.value = v.value
),

-- A phone, an e-mail or an account is a household's as often as a person's: a family shares one
-- phone, a bookkeeper's e-mail is on her clients' forms, a seller is paid into a relative's account.
-- The resolver keeps two records apart that share one when their names disagree, and so does this
-- mart: shared with a registered taxpayer whose every person's name has another given name than
-- every person's name of the entity's (both carrying one: a company's registry name is no person's),
-- the contact says the seller lives or works with that taxpayer, not that she
-- is one: `phone_other_name` (likewise e-mail, account) at 0,1 instead of 0,9. Issue 14, cn29: at 0,9
-- such a contact took 90 % of a registered housemate's returns off the tax gap of true unregistered
-- sellers (ranks 144, 234, 246, 336 of the independent all-s7 world; 5, 51, 119, 344, 371 of this
-- generator's family-phone world); the candidate it named was the entity's person for 1–2 % of such
-- pairs on six independent worlds, 0–36 % (by kind) on two of this generator's. A tax code names one
-- registry record: always 0,9. Shop names (`Thu Store`, `Nhà Hương`) are no person's and say nothing
-- here: read as names, their last words matched other people's shops.
-- A person's name as int_identity_records.sql (name_personal) reads one: a Vietnamese surname first
-- and 3 to 5 words, the given name last; or two words, a surname last (`Thu Nguyễn`, as marketplaces
-- and carriers' forms write it), the given name first (the macros `personal_name`, `vn_surname`).
-- (of the entities a contact pairs only: the rest need no given name)
given_names as (
    select distinct entity_id, case when len(words) = 2 then words[1] else words[-1] end as given
    from (
        select distinct entity_id, name_key, string_split(name_key, ' ') as words
        from entities
        where name_key is not null
          and entity_id in (select entity_id from contact_pairs union select candidate_id from contact_pairs)
    )
    where personal_name(name_key)
       or len(words) = 2 and vn_surname(words[2])
          and words[1] not in ('shop', 'kho', 'nha', 'tiem', 'cua', 'quan', 'store', 'cty', 'mart', 'xuong')
),

given_pairs as (
    select distinct p.entity_id, p.candidate_id
    from contact_pairs p
    join given_names a on a.entity_id = p.entity_id
    join given_names b on b.entity_id = p.candidate_id and b.given = a.given
),

contact_evidence as (
    select entity_id, candidate_id,
        case when other_name then kind || '_other_name' else kind end as kind,
        (case when other_name then 0.1 else 0.9 end) / holders as weight
    from (
        select p.entity_id, p.candidate_id, p.kind, p.holders,
            p.kind <> 'tax_id' and n.entity_id is not null and m.entity_id is not null and g.entity_id is null
                as other_name
        from contact_pairs p
        left join (select distinct entity_id from given_names) n on n.entity_id = p.entity_id
        left join (select distinct entity_id from given_names) m on m.entity_id = p.candidate_id
        left join given_pairs g on g.entity_id = p.entity_id and g.candidate_id = p.candidate_id
    )
),

-- Two IDs of one length one edit apart differ in one digit, so one of their halves is equal: the
-- pairs are found by joining on each half (equi-joins), not by comparing every pair in a province.
-- The first half of a CCCD is birth province, century/sex and birth year: one block holds everyone
-- born in one province in one year, a block growing with the population whose pairs grew with its
-- square (perf17: 7 of 16 s at 200,000 persons). So a pair equal in the first half is found by the
-- first half and the first or the second part of the second half (whichever the digit left alone).
-- each national ID of either side with its blocks: h digits in the first half, q in the first part of
-- the second half (12-digit CCCD: 6 and 3)
national_ids as (
    select side, entity_id, national_id, length(national_id) as n,
        left(national_id, h) as first_half,
        left(national_id, h + q) as first_part,
        left(national_id, h) || right(national_id, length(national_id) - h - q) as first_rest,
        right(national_id, length(national_id) - h) as second_half
    from (
        select side, entity_id, national_id, length(national_id) // 2 as h,
            (length(national_id) - length(national_id) // 2) // 2 as q
        from (
            select 'unregistered' as side, entity_id, national_id from unregistered
            union all
            select 'registered', entity_id, national_id from registered_values
        )
        where national_id is not null
    )
),

id_pairs as (
    select u.entity_id, r.entity_id as candidate_id, u.national_id as id, r.national_id as other
    from national_ids u
    join national_ids r on r.side = 'registered' and r.n = u.n and r.first_part = u.first_part
    where u.side = 'unregistered'
    union all
    select u.entity_id, r.entity_id as candidate_id, u.national_id as id, r.national_id as other
    from national_ids u
    join national_ids r on r.side = 'registered' and r.n = u.n and r.first_rest = u.first_rest
    -- a pair equal there and in the part the join before compares is found by it already
    where u.side = 'unregistered' and r.first_part <> u.first_part
    union all
    select u.entity_id, r.entity_id as candidate_id, u.national_id as id, r.national_id as other
    from national_ids u
    join national_ids r on r.side = 'registered' and r.n = u.n and r.second_half = u.second_half
    -- a pair equal in both halves is found by the first join already
    where u.side = 'unregistered' and r.first_half <> u.first_half
),

id_evidence as (
    select entity_id, candidate_id,
        case when other = id then 'national_id' else 'national_id_typo' end as kind,
        case when other = id then 0.9 else 0.7 end as weight
    from id_pairs
    where left(other, 3) = left(id, 3)
      and levenshtein(other, id) <= 1
),

-- every name of an unregistered entity with every province it is seen in
unregistered_names as (
    select distinct n.entity_id, n.name_key, p.province
    from unregistered n
    join unregistered p using (entity_id)
    where n.name_key is not null and p.province is not null
),

name_places as (
    select distinct entity_id, name_key, province from registered_values
    where name_key is not null and province is not null
),

name_spread as (
    select name_key, province, count(distinct entity_id) as holders from name_places group by name_key, province
),

name_evidence as (
    select u.entity_id, n.entity_id as candidate_id, 'name_province' as kind, 0.5 / s.holders as weight
    from unregistered_names u
    join name_places n on n.name_key = u.name_key and n.province = u.province
    join name_spread s on s.name_key = n.name_key and s.province = n.province
),

-- every name of an unregistered entity, and whether the entity is seen in any province at all
entity_names as (
    select distinct entity_id, name_key,
        entity_id not in (select entity_id from unregistered where province is not null) as unplaced
    from unregistered
    where name_key is not null
),

registered_names as (
    select distinct entity_id, name_key from registered_values where name_key is not null
),

name_nationwide_spread as (
    select name_key, count(distinct entity_id) as holders from registered_names group by name_key
),

-- the name nationwide, for a rare name (at most 3 registered holders): an entity seen in no
-- province (a bare bank account) 0,3; one seen elsewhere (a move the registry does not know) 0,15
name_only_evidence as (
    select u.entity_id, n.entity_id as candidate_id,
        case when u.unplaced then 'name_no_province' else 'name_other_province' end as kind,
        (case when u.unplaced then 0.3 else 0.15 end) / s.holders as weight
    from entity_names u
    join registered_names n using (name_key)
    join name_nationwide_spread s using (name_key)
    where s.holders <= 3
      and not exists (select 1 from name_evidence e where e.entity_id = u.entity_id and e.candidate_id = n.entity_id)
),

-- A COD profile's pickup place (house number and street, or hamlet, and ward: int_cod_senders.sql,
-- address_head) where a registered taxpayer's registry, shop or website address is, in the same
-- province. Parcels a warehouse books for a seller carry the warehouse's name and phone, often an
-- account no bank file holds, and the seller's home as pickup place: the home is all they say of
-- the seller. A house is one household's (0,5), a hamlet or a street without a number many (0,25);
-- a place several registered taxpayers give as their address is shared (a warehouse's depot some
-- sellers give as their shop's, a post office, a market) and says nothing. A taxpayer holding the
-- warehouse's own phone, name or account (a warehouse registered at its depot) is the booker, not
-- the seller (as int_record_identity.sql, home_parcels).
pickup_places as (
    select distinct e.entity_id, c.address_head as place, c.province, c.hub_phone, c.hub_name_key, c.hub_account
    from int_cod_senders c
    join unregistered e on e.source = 'cod_shipments' and e.source_key = c.sender_key
    where c.address_head is not null and c.province is not null
),

-- every address an entity's records give (registry record, shop, website)
entity_addresses as (
    select e.entity_id, a.address, a.province
    from entities e
    join (
        select 'taxpayers' as source, record_key as source_key, address, province from stg_taxpayers
        union all
        select distinct 'platform_sellers' as source, shop_key as source_key, address, province from stg_platform_sellers
        union all
        select 'websites' as source, record_key as source_key, address, province from stg_websites
    ) a on a.source = e.source and a.source_key = e.source_key
    -- a nominee shop's address is its lender's
    where a.address is not null and a.province is not null and not coalesce(e.nominee, false)
),

-- each address as the pickup place int_cod_senders.sql makes of it (the pickup_place macro)
entity_places as materialized (
    select distinct entity_id, province, pickup_place(address) as place
    from entity_addresses
),

registered_places as (
    select * from entity_places where entity_id in (select entity_id from registered)
),

place_spread as (
    select place, province, count(distinct entity_id) as holders from registered_places group by place, province
),

address_evidence as (
    select u.entity_id, r.entity_id as candidate_id, 'pickup_address' as kind,
        case when regexp_matches(u.place, '^(so )?[0-9]') then 0.5 else 0.25 end as weight
    from pickup_places u
    join registered_places r on r.place = u.place and r.province = u.province
    join place_spread s on s.place = r.place and s.province = r.province and s.holders = 1
    anti join registered_values b1 on b1.entity_id = r.entity_id and b1.phone = u.hub_phone
    anti join registered_values b2 on b2.entity_id = r.entity_id and b2.account = u.hub_account
    anti join registered_values b3 on b3.entity_id = r.entity_id and b3.name_key = u.hub_name_key
),

declared as (
    select entity_id, declared_revenue, tax_paid from int_declarations_by_entity
    where tax_year = getvariable('tax_year')::integer
),

seen as (
    select entity_id, observed_revenue, bank_trade from int_revenue_by_entity
    where tax_year = getvariable('tax_year')::integer and observed_revenue > 0
),

-- A compliant taxpayer declares all its sales, those whose traces stayed apart from its registry
-- record too (an account opened without its ID, a shop under another name): the revenue it declares
-- beyond what is seen of it is revenue seen somewhere else. A seller of its name whose seen revenue
-- is that amount (from 90 % of it, cash sales never seen, to it plus 5 % of all the taxpayer declares
-- plus a tenth of the bank trade seen) is likely its: for names too common for the name alone to tell
-- (commonly more than 3 registered holders). Above the amount: a return a few per cent off the whole
-- falls on the remainder; and an account holds its holder's own money too, where a relative's
-- `chuyen tien` or a bare `ck` carries no word of the private patterns and reads as a sale (issue 14,
-- band15: compliant sellers' bare accounts on the independent worlds were seen at 1.00–1.10 of what
-- they declare unexplained). Only bank trade: a shop's GMV or delivered parcels hold no one's private
-- money, and a tenth of them let namesakes' declarations explain unregistered sellers' shops.
unexplained as (
    select d.entity_id, d.declared_revenue - coalesce(s.observed_revenue, 0) as amount, d.declared_revenue
    from declared d
    left join seen s using (entity_id)
    where d.entity_id in (select entity_id from registered union select entity_id from lapsed_filers)
      and d.declared_revenue > coalesce(s.observed_revenue, 0)
),

-- A seller paid into a relative's account (a spouse, parent or child in the same house) leaves her
-- buyer transfers on it, nothing in them naming her. When the relative is registered and the account
-- carries his ID, it joins his registry record, and his entity is seen selling beyond his returns
-- while her registry record declares that trade with nothing seen of it. A taxpayer registered at a
-- house of the entity's (the one household's: at most 3 registered taxpayers give it; a hamlet,
-- many households' place, counts for less) is likely the one whose trade it is when the entity is
-- seen selling what both declare: her unexplained amount and his returns, each seen at 90 % of it
-- (cash sales never seen) up to both plus 5 % of all both declare (a transfer read as a sale, a
-- return a few per cent off). The relative's returns must be no more than her amount (a band a
-- tenth of large returns wide says nothing of a small amount: a cash stall's 40 M beside a
-- compliant seller's 500 M), and he must file for the year (a seller who stopped filing sells
-- undeclared, whatever a housemate declares). What reaches his account from her with nothing naming
-- her is her buyers' transfers (her shops and parcels carry her name and papers and resolve apart, their
-- payouts counted with them): his entity must take in buyer transfers of at least 90 % of her amount
-- (a seller declaring just under the threshold whose shops sell a housemate's amount beyond her returns
-- is not that housemate's account). Registered entities only: an unregistered seller
-- living with a registered relative whose declarations no trade explains (an offline shop) is the
-- undeclared seller it looks like, however close the amounts.
household_places as (
    select e.entity_id, r.entity_id as candidate_id,
        max(case when regexp_matches(e.place, '^(so )?[0-9]') then 0.5 else 0.25 end) as weight
    from entity_places e
    join registered_places r on r.place = e.place and r.province = e.province and r.entity_id <> e.entity_id
    join place_spread s on s.place = r.place and s.province = r.province and s.holders <= 3
    where e.entity_id in (select entity_id from registered)
    group by all
),

-- what a registered entity that files for the year is seen selling beyond its returns, and the
-- buyer transfers into its accounts among it
beyond_returns as (
    select r.entity_id, r.observed_revenue - d.declared_revenue as amount, d.declared_revenue, r.bank_trade
    from int_revenue_by_entity r
    join declared d using (entity_id)
    where r.tax_year = getvariable('tax_year')::integer
      and d.declared_revenue > 0 and r.observed_revenue > d.declared_revenue
),

household_matches as (
    select h.entity_id, h.candidate_id, h.weight
    from household_places h
    join beyond_returns b on b.entity_id = h.entity_id
    join unexplained x on x.entity_id = h.candidate_id
    where b.amount between 0.9 * x.amount - 0.1 * b.declared_revenue and x.amount + 0.05 * (x.declared_revenue + b.declared_revenue)
      and b.declared_revenue <= x.amount
      and b.bank_trade >= 0.9 * x.amount
),

-- The same trade in a relative's account opened without his ID: an account under a rare registered
-- name (name_only_evidence: 0,3 seen in no province, 0,15 elsewhere) is likely that taxpayer's, and her
-- buyer transfers on it name nothing of hers. A taxpayer registered at a house of the named holder (as
-- above) whose unexplained declarations are the account's trade (the amount band of amount_matches,
-- below, and buyer transfers of at least 90 % of her amount) is likely the one whose trade it is:
-- `holder_household` at the name's weight, `declared` as above (issue 14, hh15). The account's holder
-- stays its holder: the candidate mart never joins records.
holder_household_matches as (
    select n.entity_id, h.candidate_id, n.weight
    from name_only_evidence n
    join household_places h on h.entity_id = n.candidate_id
    join seen s on s.entity_id = n.entity_id
    join unexplained x on x.entity_id = h.candidate_id
    where s.bank_trade >= 0.9 * x.amount
      and s.observed_revenue between 0.9 * x.amount and x.amount + 0.05 * x.declared_revenue + 0.1 * s.bank_trade
),

household_evidence as (
    select entity_id, candidate_id, 'household' as kind, weight from household_matches
    union all
    select entity_id, candidate_id, 'holder_household' as kind, weight from holder_household_matches
    union all
    select entity_id, candidate_id, 'declared' as kind,
        0.85 / count(*) over (partition by entity_id) / count(*) over (partition by candidate_id) as weight
    from (
        select entity_id, candidate_id from household_matches
        union all
        select entity_id, candidate_id from holder_household_matches
    ) m
),

-- the registered taxpayers declaring the other shops paid into an undecided shop's account (by
-- national ID, or a phone at most 3 registered taxpayers carry), other than the shop's own owner
account_shop_owners as (
    select distinct u.entity_id, r.entity_id as candidate_id
    from unregistered u
    join entities o
      on o.source = 'platform_sellers' and o.nominee and o.source_key <> u.source_key
     and coalesce(o.account, o.shared_account) = u.shared_account
    join registered_values r on r.national_id = o.owner_national_id
    where u.source = 'platform_sellers' and u.nominee
      and o.owner_national_id is distinct from u.owner_national_id
    union
    select u.entity_id, c.entity_id as candidate_id
    from unregistered u
    join entities o
      on o.source = 'platform_sellers' and o.nominee and o.source_key <> u.source_key
     and coalesce(o.account, o.shared_account) = u.shared_account
    join rare_contacts c on c.kind = 'phone' and c.value = o.owner_phone
    where u.source = 'platform_sellers' and u.nominee
      and o.owner_phone is distinct from u.owner_phone
),

-- A shop paid into someone else's account is taken to run on borrowed papers (int_identity_records:
-- its owner's ID and phone are kept apart as owner_*): the owner it declares may have lent them, or
-- be the seller paid into a relative's account. Either way the analyst must know that the shop's
-- papers are a registered taxpayer's.
owner_evidence as (
    select u.entity_id, r.entity_id as candidate_id, 'owner' as kind, 0.35 as weight
    from unregistered u
    join registered_values r on r.national_id = u.owner_national_id
    union all
    -- the tax code the shop declares for its owner (a marketplace asks its sellers for one): kept
    -- apart with the rest of the owner's papers (owner_tax_id), it names one registry record
    select u.entity_id, r.entity_id as candidate_id, 'owner' as kind, 0.35 as weight
    from unregistered u
    join registered_values r on r.tax_id = u.owner_tax_id
    union all
    select u.entity_id, c.entity_id as candidate_id, 'owner' as kind, 0.35 / c.holders as weight
    from unregistered u
    join rare_contacts c on c.kind = 'phone' and c.value = u.owner_phone
    union all
    -- a shop whose papers and payout account name two people and nothing tells who runs it keeps
    -- neither identity (int_identity_records.sql, undecided): the account's holder may run it too
    select u.entity_id, c.entity_id as candidate_id, 'payout_account' as kind, 0.35 / c.holders as weight
    from unregistered u
    join rare_contacts c on c.kind = 'account' and c.value = u.shared_account
    where u.source = 'platform_sellers' and u.nominee
    union all
    -- ... or be one of a seller's shops on relatives' papers paid into a relative's account (knobs
    -- split_shops + relativeAccount): the seller's other shops are paid there too, one of them often
    -- on the seller's own papers, so the declared owners of the other shops on that account are
    -- candidates (issue 14, rel7), the weight split among them
    select entity_id, candidate_id, 'account_shop_owner' as kind, 0.35 / count(*) over (partition by entity_id) as weight
    from account_shop_owners
),

-- namesakes and owners whose unexplained declarations are about the seller's seen revenue
-- (the candidate's amount is put beside the pair first: joined in one go, the planner matched every
-- seen revenue with every unexplained amount of its band, a range join that grows with n²)
candidate_amounts as materialized (
    select p.entity_id, p.candidate_id, x.amount, x.declared_revenue
    from (
        select u.entity_id, n.entity_id as candidate_id
        from entity_names u
        join registered_names n using (name_key)
        -- a lapsed code that files (lapsed_filers), by the names its entity carries
        union all
        select u.entity_id, l.entity_id as candidate_id
        from entity_names u
        join (
            select distinct l.entity_id, e.name_key from lapsed_filers l join entities e using (entity_id)
            where e.name_key is not null and l.entity_id not in (select entity_id from registered)
        ) l using (name_key)
        union all
        select entity_id, candidate_id from owner_evidence
        -- a registered seller at a warehouse profile's pickup home declares the parcels the warehouse
        -- booked for it: its declarations beyond what is seen of it are about the profile's revenue
        union all
        select entity_id, candidate_id from address_evidence
    ) p
    join unexplained x on x.entity_id = p.candidate_id
),

amount_matches as (
    select distinct p.entity_id, p.candidate_id
    from candidate_amounts p
    join seen s on s.entity_id = p.entity_id
    where s.observed_revenue between 0.9 * p.amount and p.amount + 0.05 * p.declared_revenue + 0.1 * s.bank_trade
),

-- an amount explains one seller: shared by several sellers or candidates, the weight is split among them
amount_evidence as (
    select entity_id, candidate_id, 'declared' as kind,
        0.85 / count(*) over (partition by entity_id) / count(*) over (partition by candidate_id) as weight
    from amount_matches
),

evidence as (
    select * from amount_evidence
    union all select * from owner_evidence
    union all select * from contact_evidence
    union all select * from id_evidence
    -- a name alone points to a taxpayer who declares more than is seen of it (room for the seller's
    -- sales); one whose declarations its own trade explains is a namesake
    union all select * from name_only_evidence where candidate_id in (select entity_id from unexplained)
    union all select * from name_evidence where candidate_id in (select entity_id from unexplained)
    -- so does a place: a neighbour whose own trade explains its declarations is not the seller
    union all select * from address_evidence where candidate_id in (select entity_id from unexplained)
    union all select * from household_evidence
),

-- the strongest weight of each kind per pair, then the kinds combined
per_kind as (
    select entity_id, candidate_id, kind, max(weight) as weight
    from evidence
    group by all
),

pairs as (
    select
        entity_id,
        candidate_id,
        1 - exp(sum(ln(1 - weight)))           as weight,
        string_agg(kind, ',' order by kind)    as evidence
    from per_kind
    group by entity_id, candidate_id
),

final as (
    select
        p.entity_id,
        p.candidate_id,
        coalesce(
            (select min(candidate_tax_id) from registered r where r.entity_id = p.candidate_id),
            (select min(candidate_tax_id) from lapsed_filers l where l.entity_id = p.candidate_id)
        ) as candidate_tax_id,
        -- rounded as a decimal: 1 − exp(Σ ln(1 − w)) differs in its last bits between engines (libm vs Java),
        -- and a weight at x.xxx5 (0,3 / 8 holders, …) rounded either way (DuckDB 0,362, Spark 0,363 at 50,000 persons)
        round(p.weight::decimal(18, 9), 3)::double as weight,
        p.evidence,
        -- sharing a tax code, the entity already holds the returns filed under it
        -- (int_declarations_by_entity): only the candidate's others count again
        (case when p.evidence like '%tax_id%' then greatest(0, coalesce(d.declared_revenue, 0) - coalesce(o.declared_revenue, 0))
              else coalesce(d.declared_revenue, 0) end)::bigint as candidate_declared_revenue,
        (case when p.evidence like '%tax_id%' then greatest(0, coalesce(d.tax_paid, 0) - coalesce(o.tax_paid, 0))
              else coalesce(d.tax_paid, 0) end)::bigint        as candidate_tax_paid
    from pairs p
    left join declared d on d.entity_id = p.candidate_id
    left join declared o on o.entity_id = p.entity_id
    qualify row_number() over (partition by p.entity_id order by p.weight desc, candidate_tax_id) = 1
)

select * from final order by entity_id
