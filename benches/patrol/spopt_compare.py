#!/usr/bin/env python3
"""The standby covering model against a peer: PySAL spopt's MCLP on the same instances.

Each instance is a JSON file written by `tidewatch patrol standby --export` or
`tidewatch patrol bench --export` ({"p", "sites", "weights", "covers"}: covers[i] lists
the sites that reach demand point i). Tidewatch solves it with `tidewatch patrol solve`;
spopt gets the same coverage as a cost matrix (0 where a site reaches a point, 1 where it
does not, service radius 0.5) and solves it with PuLP's bundled CBC, its default.

Prints one row per instance: objective of each (equal?), seconds of each and the ratio.
Usage: spopt_compare.py TIDEWATCH_BINARY INSTANCE.json...  (run by benches/patrol/run.sh)
"""
import json
import subprocess
import sys
import time

import numpy as np
import pulp
from spopt.locate import MCLP


def spopt_solve(inst):
    n, m = len(inst["weights"]), inst["sites"]
    t0 = time.perf_counter()
    cost = np.ones((n, m))
    for i, row in enumerate(inst["covers"]):
        cost[i, row] = 0.0
    weights = np.asarray(inst["weights"], dtype=float)
    model = MCLP.from_cost_matrix(cost, weights, service_radius=0.5, p_facilities=inst["p"])
    t1 = time.perf_counter()
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    t2 = time.perf_counter()
    return pulp.value(model.problem.objective), t2 - t0, t2 - t1


def main():
    binary, files = sys.argv[1], sys.argv[2:]
    print(f"{'instance':<26} {'sites':>6} {'points':>7} {'p':>4} {'tidewatch':>12} {'spopt':>12} {'equal':>5} {'tw s':>8} {'spopt s':>8} {'ratio':>7}")
    rows = []
    for f in files:
        inst = json.load(open(f))
        t0 = time.perf_counter()
        ours = json.loads(subprocess.run([binary, "patrol", "solve", f], check=True, capture_output=True, text=True).stdout)
        ours_wall = time.perf_counter() - t0
        obj, s_total, s_solve = spopt_solve(inst)
        equal = abs(obj - ours["covered"]) <= 1e-6 * max(1.0, abs(obj))
        name = f.rsplit("/", 1)[-1]
        ratio = s_total / ours_wall
        print(f"{name:<26} {inst['sites']:>6} {len(inst['weights']):>7} {inst['p']:>4} {ours['covered']:>12.4f} {obj:>12.4f} {str(equal):>5} {ours_wall:>8.3f} {s_total:>8.3f} {ratio:>7.1f}")
        rows.append({"instance": name, "tidewatch": ours["covered"], "spopt": obj, "equal": equal,
                     "tidewatch_s": ours_wall, "tidewatch_solve_s": ours["solve_s"], "spopt_s": s_total,
                     "spopt_solve_s": s_solve, "ratio": ratio})
    json.dump(rows, open("spopt-compare.json", "w"), indent=1)
    if not all(r["equal"] for r in rows):
        sys.exit("objectives differ")


if __name__ == "__main__":
    main()
