# Registered, compliant sellers listed "not registered": the top-K cases with UNREGISTERED_ABOVE_THRESHOLD
# whose majority person holds a registry record in the truth and is compliant (the brief's measured fault),
# one line each, then the count of every UNREGISTERED_ABOVE_THRESHOLD case by (registered?, pattern).
#   python3 bench/indep/unregistered.py WORLD RUN_DIR [K=500]
import collections, sys
from truth import load_truth, read_csv

w, run = sys.argv[1], sys.argv[2]
K = int(sys.argv[3]) if len(sys.argv) > 3 else 500
truth, pers, info = load_truth(w)
registered = {p for (s, _), p in truth.items() if s == 'taxpayers'}
members = collections.defaultdict(collections.Counter)
for r in read_csv(f'{run}/members.csv'):
    members[r['entity_id']][truth.get((r['source'], r['record_key']))] += 1
counts = collections.Counter()
listed = 0
for r in read_csv(f'{run}/cases.csv'):
    if int(r['rank']) > K:
        break
    if 'UNREGISTERED_ABOVE_THRESHOLD' not in r['reason_codes'] or not members[r['entity_id']]:
        continue
    p = members[r['entity_id']].most_common(1)[0][0]
    counts[('registered' if p in registered else 'not registered', pers[p]['pattern'])] += 1
    if p in registered and pers[p]['pattern'] == 'compliant':
        listed += 1
        print(r['rank'], r['entity_id'], p, r['sources'], r['estimated_revenue_vnd'], info[p]['tags'],
              dict(members[r['entity_id']]))
print(f'top {K}: {listed} registered, compliant sellers listed UNREGISTERED_ABOVE_THRESHOLD')
for k, v in counts.most_common():
    print(f'  {v:4d}  {k[0]}, {k[1]}')
