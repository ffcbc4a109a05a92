#!/usr/bin/env python3
"""DuckDB as the peer of `tidewatch bench journal`: the same two queries on the same data.

    pip install duckdb
    ./target/release/tidewatch bench journal --db /tmp/bench.db --region assets/regions/dinghai \
        --facts-csv /tmp/facts.csv
    python3 scripts/bench/duckdb_peer.py /tmp/facts.csv --region assets/regions/dinghai \
        --month-from <utc> --month-to <utc> --year-from <utc> --year-to <utc>

(the bench command prints the four UTC bounds). Times are p50 of several runs of each
query on a table already loaded in memory; the load time is printed separately.
"""
import argparse
import statistics
import time
import tomllib
from pathlib import Path

import duckdb


def p50(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("facts")
    ap.add_argument("--region", required=True)
    ap.add_argument("--month-from", type=int, required=True)
    ap.add_argument("--month-to", type=int, required=True)
    ap.add_argument("--year-from", type=int, required=True)
    ap.add_argument("--year-to", type=int, required=True)
    a = ap.parse_args()
    region = tomllib.loads(Path(a.region, "region.toml").read_text())
    con = duckdb.connect()
    t = time.perf_counter()
    con.execute(f"CREATE TABLE f AS SELECT * FROM read_csv_auto('{a.facts}')")
    n = con.execute("SELECT COUNT(*) FROM f").fetchone()[0]
    print(f"duckdb {duckdb.__version__}: loaded {n} incidents in {time.perf_counter() - t:.2f} s")
    con.execute("CREATE TABLE targets(priority INT, road INT, bridge INT, ferry INT)")
    for tg in region["target"]:
        con.execute("INSERT INTO targets VALUES (?, ?, ?, ?)", [tg["priority"], tg["road_s"], tg["bridge_s"], tg["ferry_s"]])

    monthly_sql = f"""
        WITH x AS (
          SELECT f.island, f.incident_type, f.on_scene_utc - f.received_utc AS response,
                 CASE f.route_mode WHEN 'ferry' THEN t.ferry WHEN 'bridge' THEN t.bridge ELSE t.road END AS target,
                 f.dispatched_utc - f.received_utc AS processing, f.en_route_utc - f.dispatched_utc AS turnout,
                 f.on_scene_utc - f.en_route_utc AS travel, f.ferry_wait_s, f.crossing_s,
                 CASE WHEN f.state = 'cleared' THEN f.closed_utc - f.on_scene_utc END AS on_scene, f.override
          FROM f JOIN targets t USING (priority)
          WHERE f.received_utc >= {a.month_from} AND f.received_utc < {a.month_to} AND f.state <> 'cancelled')
        SELECT island, incident_type, COUNT(*),
               AVG(response), quantile_disc(response, 0.5), quantile_disc(response, 0.9), MAX(response),
               AVG(CASE WHEN response <= target THEN 1.0 WHEN response IS NOT NULL THEN 0.0 END),
               AVG(processing), quantile_disc(processing, 0.5), quantile_disc(processing, 0.9), MAX(processing),
               AVG(turnout), quantile_disc(turnout, 0.5), quantile_disc(turnout, 0.9), MAX(turnout),
               AVG(travel), quantile_disc(travel, 0.5), quantile_disc(travel, 0.9), MAX(travel),
               AVG(on_scene), quantile_disc(on_scene, 0.5), quantile_disc(on_scene, 0.9), MAX(on_scene),
               SUM(override)
        FROM x GROUP BY island, incident_type ORDER BY 1, 2"""
    rows = con.execute(monthly_sql).fetchall()
    monthly = p50(lambda: con.execute(monthly_sql).fetchall(), 7)
    print(f"monthly report by island x type ({len(rows)} groups): p50 {monthly:.4f} s")

    yearly = [
        f"SELECT island, COUNT(*) FROM f WHERE received_utc >= {a.year_from} AND received_utc < {a.year_to} AND state <> 'cancelled' GROUP BY island",
        f"SELECT incident_type, COUNT(*) FROM f WHERE received_utc >= {a.year_from} AND received_utc < {a.year_to} AND state <> 'cancelled' GROUP BY incident_type",
        f"SELECT incident_type, COUNT(*) FROM f WHERE received_utc >= {a.year_from} - 31536000 AND received_utc < {a.year_to} - 31536000 AND state <> 'cancelled' GROUP BY incident_type",
        f"SELECT COUNT(*) FROM f WHERE received_utc >= {a.year_from} AND received_utc < {a.year_to} AND override = 1",
    ]
    kpi = p50(lambda: [con.execute(q).fetchall() for q in yearly], 5)
    print(f"yearly KPI page (incident figures only): p50 {kpi:.4f} s")


if __name__ == "__main__":
    main()
