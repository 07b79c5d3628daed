#!/usr/bin/env bash
# Runs `cerval search` on every Minibex file of IBEX's easy optimisation
# benchmarks (../shared/data/minibex-easy, when present) with a time limit per
# file, and prints one line per file and a count of statuses.
#
#   bench/minibex_collection.sh [CERVAL] [SECONDS] [DIR]
#   (defaults: build/cerval, 5, ../shared/data/minibex-easy)
set -uo pipefail
cd "$(dirname "$0")/.."
cerval=${1:-build/cerval}
seconds=${2:-5}
dir=${3:-../shared/data/minibex-easy}
if [ ! -d "$dir" ]; then
  echo "minibex_collection: $dir does not exist: nothing to run" >&2
  exit 0
fi
declare -A count
for file in "$dir"/*.bch; do
  name=$(basename "$file" .bch)
  start=$(date +%s%N)
  out=$(timeout $((seconds * 3 + 10)) "$cerval" search "$file" --timeout "$seconds" --quiet 2>/dev/null)
  rc=$?
  end=$(date +%s%N)
  status=$(printf '%s\n' "$out" | sed -n 's/^status: //p')
  bounds=$(printf '%s\n' "$out" | sed -n 's/^minimum in //p; s/^maximum in //p')
  boxes=$(printf '%s\n' "$out" | sed -n 's/^boxes: \([0-9]*\),.*/\1/p')
  [ -z "$status" ] && status="exit-$rc"
  count[$status]=$(( ${count[$status]:-0} + 1 ))
  ms=$(( (end - start) / 1000000 ))
  printf '%-16s %-20s %-50s %10s boxes %4d.%03d s\n' "$name" "$status" "$bounds" "${boxes:-?}" \
    $((ms / 1000)) $((ms % 1000))
done
echo
for status in "${!count[@]}"; do echo "$status: ${count[$status]}"; done | sort
