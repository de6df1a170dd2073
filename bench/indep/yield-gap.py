# Where the truth's K largest undeclared taxes sit in a run's case list, and why those below rank 100 are
# there: each person's entities (by records), the best-ranked case of them, its revenue, declared revenue,
# gap, rate basis and reasons. Persons with no record in members.csv show rank 99999.
#   python3 bench/indep/yield-gap.py WORLD RUN_DIR [K=100]
import collections, sys
from truth import load_truth, read_csv

w, run = sys.argv[1], sys.argv[2]
K = int(sys.argv[3]) if len(sys.argv) > 3 else 100
truth, pers, info = load_truth(w)
entities = collections.defaultdict(collections.Counter)
for r in read_csv(f'{run}/members.csv'):
    entities[truth.get((r['source'], r['record_key']))][r['entity_id']] += 1
cases = {r['entity_id']: r for r in read_csv(f'{run}/cases.csv')}
top = sorted((p for p in pers.values() if p['undeclared'] == '1'), key=lambda p: -int(p['true_tax_due']))[:K]
where = collections.Counter()
M = 1_000_000
for i, p in enumerate(top, 1):
    ents = entities[p['person_id']].most_common(3)
    best = min((cases[e] for e, _ in ents if e in cases), key=lambda c: int(c['rank']), default=None)
    rank = int(best['rank']) if best else 99999
    where['top 100' if rank <= 100 else 'top 500' if rank <= 500 else 'below 500'] += 1
    if rank <= 100:
        continue
    seen = (f"est {int(best['estimated_revenue_vnd']) // M} decl {int(best['declared_revenue_vnd']) // M} "
            f"gap {int(best['tax_gap_vnd']) // M} | {best['tax_rate_basis'][:60]} | {best['reason_codes']}"
            if best else '-')
    print(f"{i} {p['person_id']} {p['pattern']} {p['activity_group']} rev {int(p['true_revenue']) // M} "
          f"due {int(p['true_tax_due']) // M} | rank {rank} {seen} | entities {ents} | {info[p['person_id']]['tags']}")
print(dict(where))
