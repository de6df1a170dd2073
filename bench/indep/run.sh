#!/usr/bin/env bash
# Generate one world with bench/indep/gen.py, run the engine on it, evaluate, and list its false pairs.
#   bench/indep/run.sh NAME SEED [gen.py flags…]     (worlds and workspaces under /tmp/indep/)
set -euo pipefail
name=$1; seed=$2; shift 2
root=${INDEP_ROOT:-/tmp/indep}
here=$(cd "$(dirname "$0")/../.." && pwd)
w=$root/$name-s$seed; ws=$root/ws-$name-s$seed; out=$root/out/$name-s$seed
mkdir -p "$root/out"
rm -rf "$ws"
python3 "$here/bench/indep/gen.py" --persons "${PERSONS:-3000}" --seed "$seed" --out "$w" "$@" > "$out.gen.json"
node "$here/bin/sangloc.js" run --input "$w" --workspace "$ws" > "$out.run.log" 2>&1
node "$here/bin/sangloc.js" evaluate --truth "$w/truth" --run "$ws/latest" > "$out.eval.txt" 2>&1
python3 "$here/bench/indep/false_pairs.py" "$w" "$ws/latest" > "$out.fp.txt"
echo "$name seed $seed rejects $(($(wc -l < "$ws/latest/rejects.csv") - 1))"
grep -E "^100 |^all sources|^identity" "$out.eval.txt"
