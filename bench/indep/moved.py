#!/usr/bin/env python3
"""Which rows of a world of bench/indep/gen.py two runs attribute differently, and how.

    python3 bench/indep/moved.py WORLD RUN_BEFORE RUN_AFTER [N]

Each row of the world (truth/records.csv) is, in a run, `right` (in an entity whose majority person
is the row's person), `wrong` (in another person's entity) or `none` (in no entity: unattributed).
Prints the rows whose state differs between the two runs, grouped by (before → after, source, the
generator's tags of the row, the tags of its person), largest groups first, each with its most
frequent (person, sender name / description, phone / account, address) values — the first thing to
read when a rule moves the figures of `false_pairs.py` and `sangloc evaluate` and one wants to know
whose rows it moved (docs/linking.md, "Two rules tried on the independent worlds, not kept").
Standard library only.
"""
from __future__ import annotations

import glob
import sys
from collections import Counter, defaultdict

# (this folder is on sys.path when the script runs: its CSV reader and record-key reading are false_pairs.py's)
from false_pairs import read, unformula


def states(run, truth):
    """record -> 'right' | 'wrong' (records in no entity are absent)."""
    members = {(r["source"], unformula(r["record_key"])): r["entity_id"] for r in read(f"{run}/members.csv")}
    people = defaultdict(Counter)
    for k, e in members.items():
        if k in truth:
            people[e][truth[k]] += 1
    majority = {e: c.most_common(1)[0][0] for e, c in people.items()}
    return {k: "right" if majority.get(e) == truth.get(k) else "wrong" for k, e in members.items()}


def described(world):
    """record -> a short description of the delivered row (COD parcels and bank lines)."""
    out = {}
    for f in glob.glob(f"{world}/cod_shipments_*.csv"):
        for r in read(f):
            k = ("cod_shipments", r["carrier"].strip().lower() + ":" + r["waybill"].strip())
            out[k] = (r["sender_name"], r["sender_phone"], r["sender_address"][:40])
    for f in glob.glob(f"{world}/bank_transactions_*.csv"):
        for r in read(f):
            k = ("bank_transactions", r["bank"].strip() + ":" + r["txn_id"].strip())
            out[k] = (r["description"][:40], r["account"], r["direction"])
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    world, before, after = argv[:3]
    top = int(argv[3]) if len(argv) > 3 else 15
    truth = {(r["source"], r["record_key"]): r["person_id"] for r in read(f"{world}/truth/records.csv")}
    tags = {(r["source"], r["record_key"]): r["tags"] for r in read(f"{world}/truth/record_tags.csv")}
    person_tags = {r["person_id"]: r["tags"] for r in read(f"{world}/truth/person_info.csv")}
    a, b = states(before, truth), states(after, truth)
    rows = described(world)
    groups, examples = Counter(), defaultdict(Counter)
    for k, p in truth.items():
        sa, sb = a.get(k, "none"), b.get(k, "none")
        if sa == sb:
            continue
        g = (f"{sa} → {sb}", k[0], tags.get(k, ""), person_tags.get(p, ""))
        groups[g] += 1
        examples[g][(p,) + rows.get(k, ())] += 1
    moved = Counter()
    for (change, *_), n in groups.items():
        moved[change] += n
    print(f"## {world}: {before} → {after}")
    print("rows moved: " + (", ".join(f"{c} {n}" for c, n in moved.most_common()) or "none"))
    for g, n in groups.most_common(top):
        change, source, row_tags, p_tags = g
        print(f"{n:7d}  {change:15s} {source:18s} row: {row_tags or '-'}  person: {p_tags or '-'}")
        for ex, m in examples[g].most_common(2):
            print(f"{'':9s}{m:5d} × {ex}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
