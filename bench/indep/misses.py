# The top-K cases that are not hits (compliant, below threshold, or a person listed twice), with the
# majority person of each, its truth pattern, reason codes, sources and generator tags.
#   python3 bench/indep/misses.py WORLD RUN_DIR [K=100]
import csv,sys,collections
w,run=sys.argv[1],sys.argv[2]
K=int(sys.argv[3]) if len(sys.argv)>3 else 100
truth={}
for r in csv.DictReader(open(f'{w}/truth/records.csv')): truth[(r['source'],r['record_key'])]=r['person_id']
pers={r['person_id']:r for r in csv.DictReader(open(f'{w}/truth/persons.csv'))}
info={r['person_id']:r for r in csv.DictReader(open(f'{w}/truth/person_info.csv'))}
tags=collections.defaultdict(set)
for r in csv.DictReader(open(f'{w}/truth/record_tags.csv')): tags[(r['source'],r['record_key'])]|=set(r['tags'].split('|'))
mem=collections.defaultdict(list)
for r in csv.DictReader(open(f'{run}/members.csv',encoding='utf-8-sig')): mem[r['entity_id']].append((r['source'],r['record_key']))
seen=set()
for r in csv.DictReader(open(f'{run}/cases.csv',encoding='utf-8-sig')):
    k=int(r['rank'])
    if k>K: break
    c=collections.Counter(truth.get(x) for x in mem[r['entity_id']])
    p,n=c.most_common(1)[0]
    pr=pers.get(p,{})
    hit= pr.get('undeclared')=='1' and p not in seen
    if not hit:
        srcs=collections.Counter(s for s,_ in mem[r['entity_id']])
        tg=collections.Counter(t for x in mem[r['entity_id']] if truth.get(x)==p for t in tags[x])
        print(k,r['entity_id'],'dup' if p in seen else '',p,n,'/',sum(c.values()),len(c),'persons', 'pattern',pr.get('pattern'),'rev',pr.get('true_revenue'),'due',pr.get('true_tax_due'),'est',r['estimated_revenue_vnd'],'decl',r['declared_revenue_vnd'],r['reason_codes'],dict(srcs),info[p]['tags'],dict(tg.most_common(6)))
    seen.add(p)
