#!/usr/bin/env python3
"""Issue #16's what-if: the share of priority-1 calls on the outlying islands reached within
target at night and at force 8, by two builds of `tidewatch recommend` on the same calls.

    scripts/reach/whatif.py BEFORE_BIN BEFORE_PACK AFTER_BIN AFTER_PACK
    scripts/reach/whatif.py --without-boats BIN PACK

The second form compares one build on the pack without its police boats (units of kind
`boat` and the officers posted to them removed: no boat answers, none carries a crew) with
the pack as it is: what the boats and the crews they carry are worth, on the same engine.

Calls: a fight (priority 1) at every place of every inhabited outlying island of the
district (all but 舟山本岛), at 23:00, 02:00 and 04:00 on a weekday with calm weather
(night; 02:00 also on its own), and at 10:00 and 15:00 with wind force 8 (gale: the ferries stop). A call counts
when the first candidate's ETA is within its own target (`target_s`)."""
import csv, json, subprocess, sys, os, shutil, tempfile

def calls(pack):
    isl = json.load(open(os.path.join(pack, "islands.geojson")))
    outlying = {f["properties"]["id"] for f in isl["features"]
                if f["properties"].get("inhabited") and f["properties"].get("in_district") and f["properties"]["id"] != "zhoushan"}
    places = [p for p in csv.DictReader(open(os.path.join(pack, "places.csv"))) if p["island"] in outlying]
    return [(p["id"], p["island"], p["lon"], p["lat"]) for p in places]

SCENARIOS = {
    "02:00": [("2026-10-14T02:00:00+08:00", 0)],
    "night": [("2026-10-14T23:00:00+08:00", 0), ("2026-10-14T02:00:00+08:00", 0), ("2026-10-14T04:00:00+08:00", 0)],
    "force 8": [("2026-10-14T10:00:00+08:00", 8), ("2026-10-14T15:00:00+08:00", 8)],
}

def within(binary, pack, lon, lat, at, wind):
    out = subprocess.run([binary, "recommend", "--region", pack, "--at", at, "--lon", lon, "--lat", lat,
                          "--type", "fight", "--priority", "1", "--wind", str(wind), "--json"],
                         capture_output=True, text=True, check=True).stdout
    rec = json.loads(out)
    c = rec["candidates"][0] if rec["candidates"] else None
    return c is not None and c.get("target_s") is not None and c["eta_s"] <= c["target_s"], (c["eta_s"] if c else None)

def without_boats(pack, into):
    """A copy of `pack` in `into` with no police boats (nor the officers posted to them)."""
    shutil.copytree(pack, into, dirs_exist_ok=True)
    boats = set()
    for name, drop in (("units.csv", lambda r: r["kind"] == "boat"), ("officers.csv", lambda r: r["unit"] in boats)):
        with open(os.path.join(pack, name), newline="") as f:
            rows = list(csv.DictReader(f))
        if name == "units.csv":
            boats = {r["id"] for r in rows if drop(r)}
        with open(os.path.join(into, name), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(r for r in rows if not drop(r))
    return boats

def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--without-boats":
        tmp = tempfile.mkdtemp(prefix="whatif-noboats-")
        removed = without_boats(sys.argv[3], tmp)
        print(f"before: {sys.argv[3]} without {', '.join(sorted(removed))}; after: the pack as it is")
        try:
            run(sys.argv[2], tmp, sys.argv[2], sys.argv[3])
        finally:
            shutil.rmtree(tmp)
    elif len(sys.argv) == 5:
        run(*sys.argv[1:5])
    else:
        sys.exit(__doc__)

def run(before_bin, before_pack, after_bin, after_pack):
    places = calls(after_pack)
    for name, runs in SCENARIOS.items():
        tally = {"before": [0, 0], "after": [0, 0]}
        etas = {"before": [], "after": []}
        for (_, _, lon, lat) in places:
            for at, wind in runs:
                for label, b, p in (("before", before_bin, before_pack), ("after", after_bin, after_pack)):
                    ok, eta = within(b, p, lon, lat, at, wind)
                    tally[label][0] += ok
                    tally[label][1] += 1
                    if eta is not None:
                        etas[label].append(eta)
        for label in ("before", "after"):
            k, n = tally[label]
            e = sorted(etas[label])
            med = e[len(e) // 2] / 60 if e else float("nan")
            print(f"{name:8} {label:6} {k:4}/{n:<4} within target = {100 * k / n:5.1f} %   median first ETA {med:6.1f} min")

if __name__ == "__main__":
    main()
