#!/bin/sh
# Peer benchmark of the standby covering model (issue #18): Tidewatch (HiGHS) against
# PySAL spopt's MCLP (CBC) on the same instances, then the province-size case.
#
#   python3 -m venv /root/.cache/spopt-venv && /root/.cache/spopt-venv/bin/pip install spopt
#   benches/patrol/run.sh            # from the repository root, after a release build
#
# TIDEWATCH (the binary), SPOPT_PYTHON (the venv's python) and OUT (a folder) may be set.
set -eu
BIN=${TIDEWATCH:-${CARGO_TARGET_DIR:-$HOME/.cache/tidewatch/target}/release/tidewatch}
PY=${SPOPT_PYTHON:-/root/.cache/spopt-venv/bin/python}
OUT=${OUT:-$(mktemp -d)}
REGION=assets/regions/dinghai
uptime
for w in 22:00-02:00 07:00-11:00 17:00-21:00; do
    name=dinghai-$(echo "$w" | tr -d ':' )
    "$BIN" patrol standby --region $REGION --window "$w" --units 6 --date 2026-07-01 --export "$OUT/$name.json" > "$OUT/$name.txt"
done
"$BIN" patrol bench --sites 300 --demand 3000 --p 20 --side 100 --towns 40 --seed 1 --export "$OUT/synthetic-300x3000.json" > /dev/null
"$BIN" patrol bench --sites 1000 --demand 10000 --p 60 --side 150 --towns 100 --seed 1 --export "$OUT/synthetic-1000x10000.json" > /dev/null
(cd "$OUT" && "$PY" "$OLDPWD/benches/patrol/spopt_compare.py" "$BIN" "$OUT"/*.json)
echo
echo "province: 5,000 sites x 50,000 demand points, within 1 % of the LP bound"
uptime
"$BIN" patrol bench --sites 5000 --demand 50000 --p 300 --seed 1 --gap 0.01 --time-limit 60
