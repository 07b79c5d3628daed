#!/bin/sh
# Time to certify theta* of the shipped seasonal models to 15 and 50 digits
# (best of 3 runs; the threshold time excludes parsing and the hypotheses,
# the wall time is the whole `cerval threshold` run with --json).
# Usage: bench/seasonal_threshold.sh [BUILD_DIR]   (default build-release)
build=${1:-build-release}
for spec in specs/seasonal/scalar_logistic.spec specs/seasonal/commuting.spec \
            specs/seasonal/insect.spec specs/seasonal/mosquito3.spec; do
  for digits in 15 50; do
    best_t=""; best_w=""
    for run in 1 2 3; do
      start=$(date +%s.%N)
      t=$("$build/cerval" threshold "$spec" --digits "$digits" --json --quiet |
          python3 -c 'import json,sys; t=json.load(sys.stdin)["threshold"]; print("%.1f %s %s" % (t["time_ms"], t["digits_reached"], t["evaluations"]))')
      end=$(date +%s.%N)
      w=$(echo "($end - $start) * 1000" | bc)
      ms=${t%% *}
      if [ -z "$best_t" ] || [ "$(echo "$ms < $best_t" | bc)" = 1 ]; then best_t=$ms; info=$t; fi
      if [ -z "$best_w" ] || [ "$(echo "$w < $best_w" | bc)" = 1 ]; then best_w=$w; fi
    done
    printf '%-40s digits %3s  threshold %8s ms  (reached, rho enclosures: %s)  wall %6.0f ms\n' \
      "$spec" "$digits" "$best_t" "${info#* }" "$best_w"
  done
done
