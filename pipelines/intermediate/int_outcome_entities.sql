-- one row per audit outcome and entity it reaches (entity_id null when none does): how outcomes find their seller
with outcomes as (
    select * from stg_outcomes
),

entities as (
    select * from int_entities
),

records as (
    select * from int_record_identity
),

-- subjects `sangloc outcomes import` resolved through a published run: that run's entity's identity records
through_run_records as (
    select * from outcome_subjects
),

-- values an outcome can name a seller by, as the entities hold them now: only those some outcome
-- names (every entity's values and waybills are ~1.2 M rows at 20,000 persons against a few hundred
-- outcomes; made distinct before this filter, they were half the model's time)
direct as (
    select distinct d.*
    from (
        select entity_id, 'tax_id' as subject_type, tax_id as subject_id from entities where tax_id is not null
        union all select entity_id, 'tax_id', national_id from entities where national_id is not null
        union all select entity_id, 'national_id', national_id from entities where national_id is not null
        union all select entity_id, 'phone', phone from entities where phone is not null
        union all select entity_id, 'platform_shop', source_key from entities where source = 'platform_sellers'
        union all select entity_id, 'domain', domain from entities where domain is not null
        union all select entity_id, 'account', account from entities where account is not null
        union all select entity_id, 'entity_id', entity_id from entities
        union all select e.entity_id, 'waybill', lower(split_part(r.record_key, ':', 1)) || ':' || substr(r.record_key, strpos(r.record_key, ':') + 1)
        from records r join entities e using (record_id)
        where r.source = 'cod_shipments'
    ) d
    semi join outcomes o on o.subject_type = d.subject_type and o.subject_id = d.subject_id
),

-- an imported subject reaches the entity that holds most of the records its run's entity had (entities re-form between runs)
through_run as (
    select subject_type, subject_id, entity_id
    from (
        select l.subject_type, l.subject_id, e.entity_id, count(*) as records
        from through_run_records l
        join entities e on e.source = l.source and e.source_key = l.source_key
        group by all
    )
    qualify row_number() over (partition by subject_type, subject_id order by records desc, entity_id) = 1
),

subjects as (
    select * from direct
    union select * from through_run
),

final as (
    select o.subject_type, o.subject_id, o.period, o.tax_year, o.result, o.assessed_revenue, o.assessed_tax,
           o.closed_on, o.selection, s.entity_id
    from outcomes o
    left join subjects s on s.subject_type = o.subject_type and s.subject_id = o.subject_id
)

select * from final
