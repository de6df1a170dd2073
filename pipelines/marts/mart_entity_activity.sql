-- one row per entity: the words of its shop, sender and site names and of its buyers' transfer descriptions that name an activity group (engine/features/activity-terms.csv)
with year as (
    select getvariable('tax_year')::integer as tax_year
),

-- the dictionary's forms: f (as matched), g (activity group), k (marked, bare or joined), t (the term as listed)
forms as (
    select unnest(from_json(getvariable('activity_forms'), '[{"f":"VARCHAR","g":"VARCHAR","k":"VARCHAR","t":"VARCHAR"}]'), recursive := true)
),

shop_names as (
    select distinct e.entity_id, 'names' as scope, p.shop_name as text
    from int_entities e
    join stg_platform_sellers p on p.shop_key = e.source_key and e.source = 'platform_sellers'
    where p.shop_name is not null
),

sender_names as (
    select distinct entity_id, 'names' as scope, name_display as text
    from int_entities
    where source = 'cod_shipments' and name_display is not null
),

descriptions as (
    select entity_id, 'bank' as scope, record_key, description as text
    from int_bank_credits_classified
    where credit_class = 'trade' and tax_year = (select tax_year from year) and description is not null
),

texts as (
    select entity_id, scope, 'n:' || text as text_id, text from shop_names
    union all
    select entity_id, scope, 'n:' || text as text_id, text from sender_names
    union all
    select entity_id, scope, 'b:' || record_key as text_id, text from descriptions
),

-- a text written with diacritics must carry a term's diacritics; one written without matches the bare form.
-- Once per distinct text of a scope (buyers write the same few descriptions again and again: 263,000
-- trade credits, 79,000 distinct descriptions at 20,000 persons), joined back to its texts below.
prepared as (
    select *, case when marked = bare then 'bare' else 'marked' end as kind
    from (
        select
            scope, text,
            trim(regexp_replace(nfc_normalize(lower(text)), '[^\p{L}\p{N}]+', ' ', 'g')) as marked,
            strip_accents(translate(trim(regexp_replace(nfc_normalize(lower(text)), '[^\p{L}\p{N}]+', ' ', 'g')), 'đ', 'd')) as bare
        from (select distinct scope, text from texts)
    )
),

-- non-letters become two spaces, so two adjacent terms each keep a boundary
matched_distinct as (
    select scope, text, kind,
        case
            when scope = 'names' and kind = 'marked' then regexp_extract_all('  ' || replace(marked, ' ', '  ') || '  ', getvariable('re_activity_names_marked'), 1)
            when scope = 'names' then regexp_extract_all('  ' || replace(bare, ' ', '  ') || '  ', getvariable('re_activity_names_bare'), 1)
            when kind = 'marked' then regexp_extract_all('  ' || replace(marked, ' ', '  ') || '  ', getvariable('re_activity_bank_marked'), 1)
            else regexp_extract_all('  ' || replace(bare, ' ', '  ') || '  ', getvariable('re_activity_bank_bare'), 1)
        end as found
    from prepared
),

-- each text with what was found in it (a filter on found here would be pushed into the
-- projection above and evaluate every expression again, 2x slower: join them all)
matched_texts as (
    select t.entity_id, t.scope, t.text_id, m.kind, m.found
    from texts t
    join matched_distinct m on m.scope = t.scope and m.text = t.text
),

-- site names are run together (spabong.vn): terms marked joined are looked for inside them
sites as (
    select distinct entity_id, source_key as domain from int_entities where source = 'websites'
),

matched_sites as (
    select entity_id, 'names' as scope, 'd:' || domain as text_id, 'joined' as kind,
        regexp_extract_all(regexp_replace(strip_accents(translate(lower(domain), 'đ', 'd')), '[^a-z0-9]+', '', 'g'), getvariable('re_activity_joined'), 1) as found
    from sites
),

hits as (
    select distinct m.entity_id, m.scope, m.text_id, f.g as activity_group, f.t as term
    from (
        select entity_id, scope, text_id, kind, regexp_replace(found_form, ' +', ' ', 'g') as form
        from (
            select entity_id, scope, text_id, kind, unnest(found) as found_form
            from (select * from matched_texts union all select * from matched_sites)
        )
    ) m
    join forms f on f.f = m.form and f.k = m.kind
),

kinds as (
    select e.entity_id, count(*) filter (where w.kind like 'service%') as service_sites
    from int_entities e
    join stg_websites w on w.record_key = e.source_key and e.source = 'websites'
    group by e.entity_id
),

by_entity as (
    select
        entity_id,
        count(distinct text_id) filter (where scope = 'names')                                         as words_names,
        count(distinct text_id) filter (where scope = 'names' and activity_group = 'goods')            as words_names_goods,
        count(distinct text_id) filter (where scope = 'names' and activity_group = 'services')         as words_names_services,
        count(distinct text_id) filter (where scope = 'names' and activity_group = 'production_transport') as words_names_production_transport,
        count(distinct text_id) filter (where scope = 'names' and activity_group = 'property_lease')   as words_names_property_lease,
        count(distinct text_id) filter (where scope = 'names' and activity_group = 'other')            as words_names_other,
        count(distinct text_id) filter (where scope = 'bank')                                          as words_bank,
        count(distinct text_id) filter (where scope = 'bank' and activity_group = 'goods')             as words_bank_goods,
        count(distinct text_id) filter (where scope = 'bank' and activity_group = 'services')          as words_bank_services,
        count(distinct text_id) filter (where scope = 'bank' and activity_group = 'production_transport') as words_bank_production_transport,
        count(distinct text_id) filter (where scope = 'bank' and activity_group = 'property_lease')    as words_bank_property_lease,
        count(distinct text_id) filter (where scope = 'bank' and activity_group = 'other')             as words_bank_other,
        -- the terms found, for the reason text: group:term|group:term …
        string_agg(distinct activity_group || ':' || term, '|' order by activity_group || ':' || term) as activity_terms
    from hits
    group by entity_id
),

final as (
    select
        e.entity_id,
        coalesce(b.words_names, 0)::bigint                      as words_names,
        coalesce(b.words_names_goods, 0)::bigint                as words_names_goods,
        coalesce(b.words_names_services, 0)::bigint             as words_names_services,
        coalesce(b.words_names_production_transport, 0)::bigint as words_names_production_transport,
        coalesce(b.words_names_property_lease, 0)::bigint       as words_names_property_lease,
        coalesce(b.words_names_other, 0)::bigint                as words_names_other,
        coalesce(b.words_bank, 0)::bigint                       as words_bank,
        coalesce(b.words_bank_goods, 0)::bigint                 as words_bank_goods,
        coalesce(b.words_bank_services, 0)::bigint              as words_bank_services,
        coalesce(b.words_bank_production_transport, 0)::bigint  as words_bank_production_transport,
        coalesce(b.words_bank_property_lease, 0)::bigint        as words_bank_property_lease,
        coalesce(b.words_bank_other, 0)::bigint                 as words_bank_other,
        coalesce(k.service_sites, 0)::bigint                    as service_sites,
        b.activity_terms
    from (select distinct entity_id from int_entities) e
    left join by_entity b using (entity_id)
    left join kinds k using (entity_id)
)

select * from final order by entity_id
