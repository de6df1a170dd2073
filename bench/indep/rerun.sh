#!/usr/bin/env bash
# Re-run an engine on worlds run.sh already generated (no regeneration): sangloc run, evaluate, false_pairs.py.
#   HERE=CHECKOUT ROOT=OUT bench/indep/rerun.sh NAME-sSEED …   (worlds read from ${INDEP_ROOT:-/tmp/indep}/NAME-sSEED)
# HERE: the checkout whose bin/sangloc.js runs (default this one: compare two engines on the same files).
set -u
HERE=${HERE:-$(cd "$(dirname "$0")/../.." && pwd)}
root=${ROOT:?set ROOT to an output folder}
worlds=${INDEP_ROOT:-/tmp/indep}
mkdir -p "$root/out"
for n in "$@"; do
  w=$worlds/$n; ws=$root/ws-$n; out=$root/out/$n
  rm -rf "$ws"
  node "$HERE/bin/sangloc.js" run --input "$w" --workspace "$ws" > "$out.run.log" 2>&1
  node "$HERE/bin/sangloc.js" evaluate --truth "$w/truth" --run "$ws/latest" > "$out.eval.txt" 2>&1
  python3 "$HERE/bench/indep/false_pairs.py" "$w" "$ws/latest" > "$out.fp.txt"
  echo "$n"; grep -E "^100 |^all sources|^identity" "$out.eval.txt"
done
