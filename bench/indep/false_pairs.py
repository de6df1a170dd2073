#!/usr/bin/env python3
"""Where the false pairs (and the unlinked records) come from, on a world of bench/indep/gen.py.

    python3 bench/indep/false_pairs.py /tmp/indep/hub1 /tmp/indep/ws-hub1/latest [WORLD RUN ...]

Reads the run's members.csv against the world's truth/records.csv and this generator's own
annotations (truth/record_tags.csv, truth/person_info.csv). An entity's person is the one most of
its rows belong to; the rows of each other person in it form a wrongly attached group. A group's
false pairs are its rows × the majority's rows plus half its rows × the other minorities' rows, so
the groups add up to the world's false pairs (Σ over entities of C(n, 2) − Σ over its persons of
C(n_p, 2)). Each group is classed by the source of its rows, by the generator tags of its rows
(hub_parcel, relative_account, nominee_shop, family_phone, typo, missing, phone_reissued,
post_office, counter_phone, name_storm, collector_remit …) and by how its person relates to the
majority person (COD collector / its client, same warehouse, relative's account, re-issued phone
number, household, family phone, same post-office counter, same COD collector, namesake,
bookkeeper, nothing known), and the precision without a seller's buyer transfers into a relative's
account, which carry nothing of hers. Also prints the records the run left out of every entity
(recall's side) by source and tag. Standard library only.
"""
from __future__ import annotations

import csv
import sys
import unicodedata
from collections import Counter, defaultdict


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def unformula(k):
    return k[1:] if k[:2] in ("'=", "'+", "'-", "'@") else k


def links(i):
    """The `links` column of person_info.csv (worlds made with --recycled-phone, --post-office or
    --collector-account): kind -> set of ids."""
    out = {}
    for x in (i.get("links") or "").split("|"):
        if ":" in x:
            k, v = x.split(":", 1)
            out.setdefault(k, set()).add(v)
    return out


def relation(a, b, info):
    """How person b relates to person a (the entity's majority), strongest first."""
    ia, ib = info.get(a, {}), info.get(b, {})
    la, lb = links(ia), links(ib)
    rel = []
    if a in lb.get("collector", ()) or b in la.get("collector", ()):
        rel.append("COD collector / its client")
    if ia.get("hub") and ia.get("hub") == ib.get("hub"):
        if "warehouse_operator" in ia.get("tags", "") or "warehouse_operator" in ib.get("tags", ""):
            rel.append("warehouse operator / its seller")
        else:
            rel.append("same warehouse")
    if ia.get("relative") == b or ib.get("relative") == a:
        rel.append("relative's account")
    if b in la.get("phone_to", ()) or b in la.get("phone_from", ()):
        rel.append("re-issued phone number")
    if ia.get("household") and ia.get("household") == ib.get("household"):
        rel.append("same household")
    elif ia.get("family") and ia.get("family") == ib.get("family"):
        rel.append("same family (other household)")
    pa = ia.get("phone_shared_from") or ""
    pb = ib.get("phone_shared_from") or ""
    if (pa or pb) and (pa == pb or ia.get("family") == ib.get("family")):
        rel.append("family phone")
    if la.get("counter", set()) & lb.get("counter", set()):
        rel.append("same post-office counter")
    if la.get("collector", set()) & lb.get("collector", set()):
        rel.append("same COD collector")
    if ia.get("name_key") and ia.get("name_key") == ib.get("name_key"):
        rel.append("namesake")
    if ia.get("bookkeeper") and ia.get("bookkeeper") == ib.get("bookkeeper"):
        rel.append("bookkeeper e-mail")
    return rel[0] if rel else "unrelated"


def pairs(per):
    """(all pairs, false pairs) of one entity whose rows belong to persons counted in `per`."""
    n = sum(per.values())
    return n * (n - 1) // 2, n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in per.values())


def analyse(world, run):
    truth = {(r["source"], r["record_key"]): r["person_id"] for r in read(f"{world}/truth/records.csv")}
    tags = {(r["source"], r["record_key"]): r["tags"] for r in read(f"{world}/truth/record_tags.csv")}
    info = {r["person_id"]: r for r in read(f"{world}/truth/person_info.csv")}
    members = read(f"{run}/members.csv")
    ent = defaultdict(list)
    seen = set()
    for m in members:
        k = (m["source"], unformula(m["record_key"]))
        seen.add(k)
        if k in truth:
            ent[m["entity_id"]].append((k, truth[k]))
    total_pairs = false_pairs = 0
    by_rel = Counter()
    by_src = Counter()
    by_tag = Counter()
    by_rel_src = Counter()
    groups = 0
    examples = defaultdict(list)
    for eid, rows in ent.items():
        n = len(rows)
        per = Counter(p for _, p in rows)
        all_e, fp_e = pairs(per)
        total_pairs += all_e
        false_pairs += fp_e
        if len(per) < 2:
            continue
        a, na = per.most_common(1)[0]
        for b, nb in per.items():
            if b == a:
                continue
            groups += 1
            fp = nb * na + 0.5 * nb * (n - na - nb)
            rel = relation(a, b, info)
            brows = [k for k, p in rows if p == b]
            srcs = Counter(k[0] for k in brows)
            tcount = Counter()
            for k in brows:
                for t in (tags.get(k) or "none").split("|"):
                    if t.startswith("hub_") or t in ("relative_account", "nominee_shop", "owner_account", "family_phone",
                                                     "common_name", "moved", "bookkeeper", "typo", "missing",
                                                     "marketplace_parcel", "cod_own", "payout", "carrier_remit",
                                                     "trade", "private", "registry", "shop", "website", "gateway",
                                                     "phone_dropped", "phone_new", "phone_reissued", "post_office",
                                                     "counter_phone", "name_storm", "collector_remit",
                                                     "collector_account", "collector_forward"):
                        tcount[t] += 1
            by_rel[rel] += fp
            for s, c in srcs.items():
                by_src[s] += fp * c / nb
                by_rel_src[(rel, s)] += fp * c / nb
            for t, c in tcount.items():
                by_tag[t] += fp * c / nb
            if len(examples[rel]) < 3:
                examples[rel].append(f"{eid}: {na} rows of {a} + {nb} of {b} ({dict(srcs)})")
    missing = [(k, p) for k, p in truth.items() if k not in seen]
    miss_src = Counter(k[0] for k, _ in missing)
    miss_tag = Counter()
    for k, _ in missing:
        for t in (tags.get(k) or "none").split("|"):
            miss_tag[t] += 1
    prec = 1 - false_pairs / total_pairs if total_pairs else 1
    print(f"## {world}  (run {run})")
    print(f"entities {len(ent)}, pairs {total_pairs}, false pairs {false_pairs} (pairwise precision {prec:.4f}), "
          f"wrongly attached groups {groups}")
    # A seller's buyer transfers into a relative's account carry nothing of the seller's (no name, no
    # id, no shop, no site: the generator's `trade` credits): no delivered value ties them to her.
    # Precision with those rows out of the count shows what the rest of the linking does.
    blind = {k for k, t in tags.items()
             if {"relative_account", "trade"} <= set(t.split("|")) and "gateway" not in t.split("|")}
    all_b = fp_b = 0
    for rows in ent.values():
        a, f = pairs(Counter(p for k, p in rows if k not in blind))
        all_b += a
        fp_b += f
    if all_b:
        print(f"without the {len(blind)} buyer transfers into relatives' accounts (nothing of their seller's on "
              f"them): pairwise precision {1 - fp_b / all_b:.4f}")
    if false_pairs:
        print("\nfalse pairs by relation of the wrongly attached person to the entity's person:")
        for r, v in by_rel.most_common():
            print(f"  {r:34s} {v:12.0f}  {v / false_pairs:6.1%}")
        print("false pairs by source of the wrongly attached rows:")
        for r, v in by_src.most_common():
            print(f"  {r:34s} {v:12.0f}  {v / false_pairs:6.1%}")
        print("relation x source (top 10):")
        for (r, s), v in by_rel_src.most_common(10):
            print(f"  {r:34s} {s:18s} {v:12.0f}  {v / false_pairs:6.1%}")
        print("false pairs by generator tag of the wrongly attached rows (a row may carry several):")
        for r, v in by_tag.most_common(14):
            print(f"  {r:34s} {v:12.0f}  {v / false_pairs:6.1%}")
        print("examples:")
        for r, ex in examples.items():
            for e in ex[:2]:
                print(f"  [{r}] {e}")
    print(f"\nrecords in no entity: {len(missing)} of {len(truth)}; by source {dict(miss_src.most_common())}")
    print("  by tag: " + ", ".join(f"{t} {c}" for t, c in miss_tag.most_common(10)))
    print()


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or len(args) % 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    for i in range(0, len(args), 2):
        analyse(args[i], args[i + 1])
