#!/usr/bin/env python3
"""Markdown table of the worlds bench/indep/run.sh left in /tmp/indep/out/ (or the folder given)."""
import glob
import os
import re
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/indep/out"
print("| world | seed | rows | rejects | pairwise P | R | F1 | identity P / R | p@50 | p@100 | yield@100 / ceiling | in no entity | top false-pair cause |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for ev in sorted(glob.glob(f"{out}/*.eval.txt")):
    base = ev[: -len(".eval.txt")]
    name, seed = os.path.basename(base).rsplit("-s", 1)
    t = open(ev, encoding="utf-8").read()
    fp = open(base + ".fp.txt", encoding="utf-8").read() if os.path.exists(base + ".fp.txt") else ""
    allm = re.search(r"^all sources\s+([\d.]+)\s+[\d.]+\s+([\d.]+)\s+\d+\s+([\d,]+)%\s+([\d,]+)%\s+([\d,]+)", t, re.M)
    idm = re.search(r"^identity \(.*?\)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+\s+([\d,]+)%\s+([\d,]+)%", t, re.M)
    k = {m.group(1): m for m in re.finditer(r"^(\d+)\s+\d+\s+\d+\s+([\d,]+)%.*?([\d,]+)%\s*$", t, re.M)}
    rej = "?"
    wsrej = f"/tmp/indep/ws-{name}-s{seed}/latest/rejects.csv"
    if os.path.exists(wsrej):
        rej = sum(1 for _ in open(wsrej, encoding="utf-8-sig")) - 1
    cause = re.search(r"loosely|relation of the wrongly attached person to the entity's person:\n\s+(.+?)\s{2,}\d+\s+([\d.]+%)", fp)
    print(f"| {name} | {seed} | {allm.group(1)} | {rej} | {allm.group(3)} % | {allm.group(4)} % | {allm.group(5)} | "
          f"{idm.group(1)} / {idm.group(2)} % | {k['50'].group(2)} % | {k['100'].group(2)} % | {k['100'].group(3)} % | "
          f"{allm.group(2)} | {cause.group(1) + ' ' + cause.group(2) if cause else '–'} |")
