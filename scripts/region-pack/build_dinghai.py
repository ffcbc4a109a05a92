#!/usr/bin/env python3
"""Build the default Tidewatch region pack assets/regions/dinghai/ (python3 stdlib only).

    python3 scripts/region-pack/build_dinghai.py [--reference DIR] [--land FILE]
                                                 [--out DIR] [--check | --check-only]

Inputs
  --reference DIR   shared reference data (default: ../shared/reference relative to the
                    repository root): dinghai-gazetteer.csv, osm-zhoushan/
  --land FILE       OSM land polygons (default REFERENCE/osm-zhoushan/zhoushan-land-osm.geojson,
                    ODbL; includes the Ningbo mainland, cut by the box edge)
  scripts/region-pack/dinghai-sources/places.csv   gazetteer name -> place id + pinyin
  The curated facts (islands, bridges, ferries, sailings, units, officers, incident
  types, holidays, targets) are the tables in this file, each with its source.

Output: every file of the pack (see assets/regions/README.md). --check re-reads the
written pack and verifies it; --check-only verifies an existing pack without building.
The output is deterministic: running the script twice gives identical files.
"""

import argparse
import csv
import re
import datetime as dt
import heapq
import io
import json
import math
import os
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SOURCES = os.path.join(HERE, "dinghai-sources")

# --------------------------------------------------------------------------------------
# Pack-wide settings (region.toml)
# --------------------------------------------------------------------------------------

DETOUR = 1.35            # road length = straight line x this (generated links)
PLACE_TOLERANCE_M = 500
BRIDGE_DETOUR = 1.1      # unknown bridge length = straight line between its ends x this

ROAD_CLASSES = [          # id, km/h, note (geography.md section 5)
    ("expressway", 80, "G9211 / Zhoudai design speed 100 km/h; 80 average for response (estimate)"),
    ("bridge", 80, "cross-sea expressway bridges, design speed 100 km/h; 80 average (estimate)"),
    ("national", 50, "G329 on Zhoushan Island, 50 km/h average (estimate)"),
    ("village", 38, "village roads on Jintang, Cezi, Changbai, north-west main island: 35-40 (estimate)"),
    ("urban", 28, "Dinghai and Lincheng urban streets: 25-30 (estimate)"),
    ("small_island", 22, "roads on small islands (Panzhi, Damao, Dongju, Aoshan): 20-25 (estimate)"),
]

# Response-time targets (received -> on scene), seconds. Local policy, not law: these
# are starting values for the command centre to adjust.
TARGETS = [  # priority, road_s, bridge_s, ferry_s
    (1, 600, 900, 2700),
    (2, 900, 1200, 3600),
    (3, 1800, 2400, 5400),
    (4, 3600, 5400, 10800),
]

URBAN_CENTRES = [(122.103, 30.018), (122.203, 29.987)]  # Dinghai old town, Lincheng
URBAN_RADIUS_M = 3000
NATIONAL_MIN_M = 6000          # long links on big islands are G329-like
SMALL_ISLAND_KM2 = 10.0        # below: small_island roads (see README: 10, not 15 km2)
BIG_ISLAND_KM2 = 100.0         # main island, Daishan, mainland stub: long links are national

# --------------------------------------------------------------------------------------
# Islands. `match` = area centroid (lon, lat) of the OSM land polygon, matched within 300 m.
# (Each island here was matched to the polygon covering most of its old 10m-coastline polygon.)
# --------------------------------------------------------------------------------------

DFZ = "舟山市定海区志 table 33-5-3/4 (2010 census) https://dfz.zj.gov.cn/zlyz/ossfs/h5/ZS-Z-330902-2007-001-0101/files/basic-html/page1620.html"

ISLANDS = [
    # id, name_zh, name_en, match, population, in_district, confidence, note
    ("zhoushan", "舟山岛（定海部分）", "Zhoushan Island (Dinghai part)", (122.14245, 30.05883), 407421, True, "high",
     "coastline polygon 0, area and position match (the polygon is the whole island, Putuo part included; "
     "the Lidiao lobe is cut off as its own island); population: Dinghai part, " + DFZ),
    ("jintang", "金塘岛", "Jintang Island", (121.87693, 30.02972), 37321, True, "high",
     "coastline polygon, area and position match; population: " + DFZ),
    ("cezi", "册子岛", "Cezi Island", (121.93487, 30.09427), 6334, True, "medium",
     "coastline polygon, area and position match; population: " + DFZ),
    ("changbai", "长白岛", "Changbai Island", (122.03627, 30.18442), 3066, True, "medium",
     "coastline polygon, area and position match (zh.wikipedia 30.18327N 122.03915E); population: " + DFZ),
    ("changzhi", "长峙岛", "Changzhi Island", (122.16791, 29.97372), 3464, True, "medium",
     "coastline polygon, area and position match; population: " + DFZ),
    ("aoshan", "岙山", "Aoshan Island", (122.14769, 29.95687), 1087, True, "medium",
     "coastline polygon, area and position match (zh.wikipedia 29.95054N 122.14500E); population: " + DFZ),
    ("panzhi", "盘峙岛（大盘峙）", "Panzhi Island (Da Panzhi)", (122.07518, 29.98845), 2177, True, "medium",
     "coastline polygon, area and position match; population: " + DFZ),
    ("fuchi", "富翅山（富翅岛）", "Fuchi Island", (121.97084, 30.09638), 197, True, "medium",
     "coastline polygon, area and position match (between the Xiangjiaomen and Taoyaomen bridges); population: " + DFZ),
    ("lidiao", "里钓山（里钓岛）", "Lidiao Island", (121.97957, 30.07715), 216, True, "low",
     "UNCONFIRMED: the OSM land polygon (1.64 km2) about 0.1 km off the west coast of the main island between "
     "the Cengang and Xiangjiaomen bridge points (the OSM reference README: 'probably' Lidiao; the 10m "
     "coastline joined it to the main island); population: " + DFZ),
    ("damao", "大猫岛", "Damao Island", (122.0389, 29.95075), 453, True, "low",
     "UNCONFIRMED: coastline polygon matched by area only (reference hint 'likely (area match only)'); population: " + DFZ),
    ("dapeng", "大鹏岛（大鹏山）", "Dapeng Island", (121.83175, 30.08219), 785, True, "low",
     "UNCONFIRMED: coastline polygon matched by area and its place off Ligang (reference hint 'likely (area match only)'); "
     "population: " + DFZ),
    ("dongju", "东岠岛（小岠山/小巨）", "Dongju Island (Xiaoju)", (122.07038, 29.95924), 206, True, "low",
     "UNCONFIRMED: reference hint '东岠岛 (unconfirmed)'; polygon 0.5 km2 vs 3.42 km2 in the gazetteer; "
     "population (ambiguous column): " + DFZ),
    ("xixiezhi", "西蟹峙", "Xixiezhi Island", (122.0882, 29.98016), 204, True, "low",
     "UNCONFIRMED: reference hint '西蟹峙 (unconfirmed)' (next to Da Panzhi across 蟹峙门); population: " + DFZ),
    ("dongxiezhi", "东蟹峙", "Dongxiezhi Island", (122.13627, 29.98534), 571, True, "low",
     "UNCONFIRMED: reference hint '东蟹峙 (unconfirmed)'; population: " + DFZ),
    ("cishan", "刺山", "Cishan Island", (122.11375, 29.97145), None, True, "low",
     "UNCONFIRMED: reference hint '东岠岛 or 刺山'; taken as 刺山 because 东岠 took the polygon hinted '东岠岛'; "
     "population counted with 摘箬山, not found"),
    ("zhairuoshan", "摘箬山", "Zhairuoshan Island", (122.08338, 29.94796), None, True, "low",
     "UNCONFIRMED: reference hint '摘箬山 or 刺山'; taken as 摘箬山 (2.2 km2 vs 2.70 km2); population counted with 刺山 in "
     + DFZ),
    ("waidiao", "外钓山", "Waidiao Island", (121.96571, 30.05858), None, True, "low",
     "UNCONFIRMED: reference hint '里钓岛 or 外钓山'; taken as 外钓山 because Lidiao is the lobe joined to the main island "
     "between the bridge points; inhabited per https://www.qicai.net/sight/town_10892.html; population not found"),
    ("xiju", "西岠（大岠/大巨）", "Xiju (Daju) Island", (122.05473, 29.94398), None, True, "low",
     "UNCONFIRMED, no reference hint: nearest unassigned polygon west of Dongju to the estimated position; "
     "ferry route listed in https://c.m.163.com/news/a/KLNF2ESS05149TGD.html; population not found"),
    ("xiaopanzhi", "小盘峙", "Xiao Panzhi Island", (122.04528, 29.98531), 136, True, "low",
     "UNCONFIRMED, no reference hint: unassigned polygon west of Da Panzhi, area 0.75 km2 vs 0.61 km2; population: " + DFZ),
    # neighbours that bridges and ferries reach
    ("daishan", "岱山岛", "Daishan Island (Daishan County)", (122.16383, 30.28926), None, False, "medium",
     "coastline polygon 108.5 km2, centroid 30.29N (position and size of Daishan Island); not in Dinghai; reached "
     "by the Zhoudai Bridge and the Sanjiang ferry"),
    ("ningbo", "宁波大陆（镇海、北仑）", "Ningbo mainland (Zhenhai, Beilun)", "mainland", None, False, "medium",
     "mainland land polygon from the coastline data clipped by build_dinghai.py to a stub around the Jintang Bridge "
     "end and the Baifeng pier; not in Dinghai"),
]

# The mainland polygon: the land polygon cut by the box edge that holds this point (Beilun).
MAINLAND_POINT = (121.77403, 29.85199)
# The mainland stub kept (lon/lat box), so that region bounds stay small.
MAINLAND_STUB = (121.62, 29.86, 122.06, 30.06)
LAND_SOURCE = ("OSM land polygons (osmdata.openstreetmap.de land-polygons-complete-4326, about mid-2024, "
               "simplified to ~50 m) via roaring-landmask 0.11.0, extracted to osm-zhoushan/zhoushan-land-osm.geojson; "
               "© OpenStreetMap contributors, ODbL 1.0")
ATTRIBUTION = ("© OpenStreetMap contributors (ODbL 1.0); land polygons by osmdata.openstreetmap.de, "
               "via roaring-landmask")

GAZ_ISLAND = {  # gazetteer `island` column -> island id
    "舟山岛": "zhoushan", "金塘岛": "jintang", "册子岛": "cezi", "长白岛": "changbai", "长峙岛": "changzhi",
    "岙山": "aoshan", "盘峙岛": "panzhi", "小盘峙": "xiaopanzhi", "大猫岛": "damao", "东岠岛": "dongju",
    "西岠": "xiju", "西蟹峙": "xixiezhi", "东蟹峙": "dongxiezhi", "摘箬山": "zhairuoshan", "刺山": "cishan",
    "富翅岛": "fuchi", "里钓岛": "lidiao", "外钓山": "waidiao", "大鹏岛": "dapeng", "岱山岛": "daishan",
    "宁波大陆": "ningbo",
}
GAZ_KIND = {"police_station": "station", "police_post": "post"}

# Places the gazetteer does not have. lon/lat are first guesses; they are moved onto the
# polygon like every other place (piers onto the coast facing the other end).
EXTRA_PLACES = [
    # id, kind, name_zh, name_en, pinyin, lon, lat, island, source
    ("pier_xiju", "pier", "西岠码头（位置估计）", "Xiju Island Pier (position estimated)", "xiju matou weizhi guji",
     122.055, 29.946, "xiju",
     "generated: the Dinghai-Xiju route (163.com 2026-02-14) needs an island pier; position estimated"),
    ("pier_daishan_sanjiang", "pier", "岱山码头（三江航线岛侧，位置估计）", "Daishan Pier (Sanjiang route, position estimated)",
     "daishan matou sanjiang hangxian dao ce weizhi guji", 122.16, 30.23, "daishan",
     "generated: the Sanjiang-Daishan route (geography.md 4.1) needs a Daishan pier; position estimated"),
    ("pier_baifeng", "pier", "白峰码头（宁波北仑）", "Baifeng Pier (Beilun, Ningbo)", "baifeng matou ningbo beilun",
     122.00, 29.895, "ningbo",
     "generated: the Yadanshan-Baifeng ferry (chinatravel.com; seeinchina.com) needs a mainland pier; position estimated"),
]

# --------------------------------------------------------------------------------------
# Bridges. from/to are place ids; length None = straight line between the ends x 1.1.
# --------------------------------------------------------------------------------------

NBHTS = "nb-hts.com 2009-12-14"
BRIDGES = [
    # id, name_zh, name_en, from, to, class, length_m, opened, close_wind_force, source
    ("cengang_bridge", "岑港大桥", "Cengang Bridge", "be_cengang_zhoushan", "be_cengang_lidiao", "bridge", 793,
     "2006-01-01", 11, f"length 793 m, 4 lanes, phase I open 2006-01-01: {NBHTS}"),
    ("xiangjiaomen_bridge", "响礁门大桥", "Xiangjiaomen Bridge", "be_xiangjiaomen_lidiao", "be_xiangjiaomen_fuchi",
     "bridge", 951, "2006-01-01", 11,
     f"opened with phase I 2006-01-01 ({NBHTS}); length about 951 m UNVERIFIED (geography.md 3)"),
    ("taoyaomen_bridge", "桃夭门大桥", "Taoyaomen Bridge", "be_taoyaomen_fuchi", "be_taoyaomen_cezi", "bridge", 872,
     "2006-01-01", 11, f"spans 146+580+146 m (code-index bridge table id 45271289108); phase I open 2006-01-01 ({NBHTS})"),
    ("xihoumen_bridge", "西堠门大桥", "Xihoumen Bridge", "be_xihoumen_cezi", "be_xihoumen_jintang", "bridge", 5300,
     "2009-12-25", 10, "5.3 km total (2.6 km main bridge + 2.7 km approaches), opened 2009-12-25: en.wikipedia Xihoumen Bridge"),
    ("jintang_bridge", "金塘大桥", "Jintang Bridge", "be_jintang_bridge_jintang", "be_jintang_bridge_zhenhai", "bridge",
     26540, "2009-12-25", 10, "26.54 km total (sea section about 18.27 km), opened 2009-12-25: en.wikipedia Jintang Bridge; aizhengw.cn"),
    ("fuchimen_bridge", "富翅门大桥", "Fuchimen Bridge", "be_fuchimen_fuchi", "be_fuchimen_zhoushan", "bridge", None,
     "2019", 11, "completed 2019 (7hx85o.cn 2016; lsj088.com 2021; thepaper.cn), month and day unknown; "
     "length not found"),
    ("zhoudai_south", "舟岱大桥（本岛—长白段）", "Zhoudai Bridge (main island - Changbai)", "be_zhoudai_cengang",
     "be_zhoudai_changbai", "bridge", 9500, "2021-12-29", 10,
     "opened 2021-12-29 (thepaper.cn 2021-12-29; zgjtb.com); length: Cengang interchange to the Changbai connection "
     "about 9-10 km (geography.md 3, estimate); the Changbai section may have opened earlier (chinadaily 2020-10-30, unconfirmed)"),
    ("zhoudai_north", "舟岱大桥（长白—岱山段）", "Zhoudai Bridge (Changbai - Daishan)", "be_zhoudai_changbai",
     "be_zhoudai_shuanghe", "bridge", None, "2021-12-29", 10,
     "opened 2021-12-29 (thepaper.cn 2021-12-29); whole bridge about 26-28 km with 16.34 km sea crossing; this part's "
     "length not found"),
    ("aoshan_bridge", "岙山大桥", "Aoshan Bridge", "be_aoshan_changzhi", "be_aoshan_aoshan", "bridge", None,
     "2007-09", 11, "岙山—松山—长峙, opened Sept 2007 (zh.wikipedia 岙山; day unknown); length not found"),
    ("changzhi_link", "长峙岛连岛道路（桥/堤）", "Changzhi Island road link (bridge/causeway)", "be_changzhi_link_zhoushan",
     "be_changzhi_link_changzhi", "urban", None, "", 11,
     "geography.md 2: Changzhi has a road link (buses 33 and 319 run from 长峙车客码头); the structure, its length and "
     "opening date were not found (opened left empty); it must be open since the Aoshan Bridge (Sept 2007) reaches "
     "the road network through Changzhi"),
]
BRIDGE_WIND_NOTE = "close_wind_force ESTIMATE (no closure rule found): 10 for long sea bridges, 11 for the others"

# Bridge ends the gazetteer lacks (placed on the polygon by the script).
# id, name_zh, name_en, pinyin, island, other island (closest point facing it)
GENERATED_BRIDGE_ENDS = [
    ("be_changzhi_link_zhoushan", "长峙连岛道路·本岛端", "Changzhi road link - main island end",
     "changzhi liandao daolu bendao duan", "zhoushan", "changzhi"),
    ("be_changzhi_link_changzhi", "长峙连岛道路·长峙端", "Changzhi road link - Changzhi end",
     "changzhi liandao daolu changzhi duan", "changzhi", "zhoushan"),
]

# --------------------------------------------------------------------------------------
# Ferries (geography.md 4). Stop rules: high_speed force 7, ordinary 8, car_ferry 9;
# Panzhi car ferry 10 (kept running, passengers only, at force 9-10 on 2023-05-04).
# --------------------------------------------------------------------------------------

ROUTES_SRC = "routes from 定海客运站: 舟山交通 notice 2023-05-04 (freewechat.com/a/MzA5OTMxMjEyMA==/2650006304/2); c.m.163.com/news/a/KLNF2ESS05149TGD.html (2026-02-14)"
FERRY_ROUTES = [
    # id, name_zh, name_en, from, to, vessel, crossing_min, stop_wind, stop_vis_m, source, confidence
    ("ferry_dinghai_panzhi", "定海—盘峙", "Dinghai - Panzhi", "pier_dinghai", "pier_panzhi", "car_ferry", 10, 10, 500,
     ROUTES_SRC + "; car ferry, ran (passengers only) at force 9-10 on 2023-05-04; crossing 10 min ESTIMATE (geography.md 4.2)",
     "estimate"),
    ("ferry_dinghai_xixiezhi", "定海—西蟹峙", "Dinghai - Xixiezhi", "pier_dinghai", "pier_xixiezhi", "ordinary", 12, 8, 500,
     ROUTES_SRC + "; crossing 10-15 min ESTIMATE (geography.md 4.2)", "estimate"),
    ("ferry_dinghai_dongju", "定海—东岠（小巨）", "Dinghai - Dongju (Xiaoju)", "pier_dinghai", "pier_dongju", "ordinary", 20, 8,
     500, ROUTES_SRC + "; crossing 20 min ESTIMATE (geography.md 4.2)", "estimate"),
    ("ferry_dinghai_damao", "定海—大猫", "Dinghai - Damao", "pier_dinghai", "pier_damao", "ordinary", 30, 8, 500,
     ROUTES_SRC + "; crossing 30 min ESTIMATE (geography.md 4.2)", "estimate"),
    ("ferry_dinghai_xiju", "定海—西岠（大巨）", "Dinghai - Xiju (Daju)", "pier_dinghai", "pier_xiju", "ordinary", 30, 8, 500,
     ROUTES_SRC + "; crossing 25-35 min ESTIMATE (geography.md 4.2); island match unconfirmed", "estimate"),
    ("ferry_xiaosha_changbai", "小沙长白码头—长白岛", "Xiaosha Changbai Pier - Changbai Island", "pier_xiaosha_changbai",
     "pier_changbai", "ordinary", 10, 8, 500,
     "historic ferry (chinadaily 2020); status since the Zhoudai Bridge UNKNOWN; crossing 10 min ESTIMATE (channel 1.75 km, zh.wikipedia)",
     "low"),
    ("ferry_ligang_dapeng", "沥港—大鹏岛", "Ligang - Dapeng", "pier_ligang", "pier_dapeng", "ordinary", 8, 8, 500,
     "沥港 is Jintang's port facing 大鹏岛 (舟山市志 p.635); route assumed; crossing 5-10 min ESTIMATE (geography.md 4.2)",
     "estimate"),
    ("ferry_sanjiang_daishan", "三江—岱山（高速客船）", "Sanjiang - Daishan (high-speed)", "pier_sanjiang",
     "pier_daishan_sanjiang", "high_speed", 25, 7, 500,
     "old listing (seeinchina): fast boats 08:00-17:00 from 三江, 8 a day; daluzixun.com; status since the Zhoudai Bridge "
     "unverified; crossing 25 min ESTIMATE (about 11 km)", "low"),
    ("ferry_yadanshan_baifeng", "鸭蛋山—白峰（宁波）", "Yadanshan - Baifeng (Ningbo)", "pier_yadanshan", "pier_baifeng",
     "car_ferry", 40, 9, 500,
     "40 min, 24 h, car and passenger ferry (chinatravel.com, 2017 page with older text; seeinchina.com: 43 a day); "
     "status with the bridges open unverified", "low"),
]
MAINLAND_ONLY = {"ferry_yadanshan_baifeng", "jintang_bridge", "pier_baifeng"}


def hhmm(m):
    return f"{m // 60:02d}:{m % 60:02d}"


def every(start, end, step):
    """'06:00', '18:00', 30 -> ['06:00', '06:30', ..., '18:00']"""
    a = int(start[:2]) * 60 + int(start[3:])
    b = int(end[:2]) * 60 + int(end[3:])
    return [hhmm(m) for m in range(a, b + 1, step)]


S_EST = "ESTIMATE: headway and hours per geography.md 4.2; replace with the operator's timetable"
# route -> list of (from pier, day_type, [times], source, confidence)
SAILINGS = {
    "ferry_dinghai_panzhi": [
        ("pier_dinghai", "weekday", every("06:00", "18:00", 30), S_EST + " (every 30 min 06:00-18:00)", "estimate"),
        ("pier_panzhi", "weekday", every("06:15", "18:15", 30), S_EST, "estimate"),
        ("pier_dinghai", "weekend", every("06:00", "18:00", 20), S_EST + " (every 20 min at weekends)", "estimate"),
        ("pier_panzhi", "weekend", every("06:10", "18:10", 20), S_EST, "estimate"),
        ("pier_dinghai", "holiday", every("06:00", "18:00", 20), S_EST + " (every 20 min on holidays)", "estimate"),
        ("pier_panzhi", "holiday", every("06:10", "18:10", 20), S_EST, "estimate"),
    ],
    # Small-island boats are assumed to lie overnight at the island: first sailing from the
    # island, last one back to it in the early evening.
    "ferry_dinghai_xixiezhi": [
        ("pier_xixiezhi", "weekday", ["07:00", "12:00", "16:30"], S_EST + " (2-4 a day)", "estimate"),
        ("pier_dinghai", "weekday", ["11:30", "16:00", "17:30"], S_EST + " (2-4 a day)", "estimate"),
        ("pier_xixiezhi", "weekend", ["07:00", "12:00", "16:30"], S_EST, "estimate"),
        ("pier_dinghai", "weekend", ["11:30", "16:00", "17:30"], S_EST, "estimate"),
        ("pier_xixiezhi", "holiday", ["07:00", "09:30", "12:00", "14:30", "16:30"], S_EST + " (more on holidays)", "estimate"),
        ("pier_dinghai", "holiday", ["09:00", "11:30", "14:00", "16:00", "17:30"], S_EST + " (more on holidays)", "estimate"),
    ],
    "ferry_dinghai_dongju": [
        ("pier_dinghai", "daily", ["09:30"], "CONFIRMED departure 09:30 定海→东岠(小巨): fog notice 2026-02-14 "
         "c.m.163.com/news/a/KLNF2ESS05149TGD.html", "medium"),
        ("pier_dongju", "weekday", ["07:00", "10:10", "16:10"], S_EST + " (2-3 a day)", "estimate"),
        ("pier_dinghai", "weekday", ["15:30", "17:20"], S_EST, "estimate"),
        ("pier_dongju", "weekend", ["07:00", "10:10", "16:10"], S_EST, "estimate"),
        ("pier_dinghai", "weekend", ["15:30", "17:20"], S_EST, "estimate"),
        ("pier_dongju", "holiday", ["07:00", "10:10", "13:10", "16:10"], S_EST + " (more on holidays)", "estimate"),
        ("pier_dinghai", "holiday", ["12:30", "15:30", "17:20"], S_EST + " (more on holidays)", "estimate"),
    ],
    "ferry_dinghai_damao": [
        ("pier_dinghai", "daily", ["09:00"], "CONFIRMED departure 09:00 定海→大猫: fog notice 2026-02-14 "
         "c.m.163.com/news/a/KLNF2ESS05149TGD.html", "medium"),
        ("pier_damao", "weekday", ["06:30", "10:00", "16:00"], S_EST + " (2-3 a day)", "estimate"),
        ("pier_dinghai", "weekday", ["15:00", "17:00"], S_EST, "estimate"),
        ("pier_damao", "weekend", ["06:30", "10:00", "16:00"], S_EST, "estimate"),
        ("pier_dinghai", "weekend", ["15:00", "17:00"], S_EST, "estimate"),
        ("pier_damao", "holiday", ["06:30", "10:00", "13:00", "16:00"], S_EST + " (more on holidays)", "estimate"),
        ("pier_dinghai", "holiday", ["12:00", "15:00", "17:00"], S_EST + " (more on holidays)", "estimate"),
    ],
    "ferry_dinghai_xiju": [
        ("pier_xiju", "weekday", ["06:45", "10:30"], S_EST + " (about 2 a day)", "estimate"),
        ("pier_dinghai", "weekday", ["09:45", "16:45"], S_EST + " (about 2 a day)", "estimate"),
        ("pier_xiju", "weekend", ["06:45", "10:30"], S_EST, "estimate"),
        ("pier_dinghai", "weekend", ["09:45", "16:45"], S_EST, "estimate"),
        ("pier_xiju", "holiday", ["06:45", "10:30", "14:00"], S_EST + " (more on holidays)", "estimate"),
        ("pier_dinghai", "holiday", ["09:45", "13:00", "16:45"], S_EST + " (more on holidays)", "estimate"),
    ],
    "ferry_xiaosha_changbai": [
        ("pier_xiaosha_changbai", "daily", every("06:30", "17:30", 60),
         "ESTIMATE: hourly 06:30-17:30; whether the ferry still runs since the Zhoudai Bridge is unknown", "low"),
        ("pier_changbai", "daily", every("06:00", "17:00", 60),
         "ESTIMATE: hourly 06:00-17:00; whether the ferry still runs since the Zhoudai Bridge is unknown", "low"),
    ],
    "ferry_ligang_dapeng": [
        ("pier_ligang", "weekday", every("06:30", "17:30", 60), S_EST + " (every 30-60 min in daytime)", "estimate"),
        ("pier_dapeng", "weekday", every("06:00", "18:00", 60), S_EST, "estimate"),
        ("pier_ligang", "weekend", every("06:30", "17:30", 30), S_EST, "estimate"),
        ("pier_dapeng", "weekend", every("06:00", "18:00", 30), S_EST, "estimate"),
        ("pier_ligang", "holiday", every("06:30", "17:30", 30), S_EST, "estimate"),
        ("pier_dapeng", "holiday", every("06:00", "18:00", 30), S_EST, "estimate"),
    ],
    "ferry_sanjiang_daishan": [
        ("pier_sanjiang", "daily", ["08:00", "09:20", "10:40", "12:00", "13:20", "14:40", "15:50", "17:00"],
         "old listing (seeinchina): 8 fast boats a day 08:00-17:00 from 三江; intermediate times interpolated (ESTIMATE)",
         "estimate"),
        ("pier_daishan_sanjiang", "daily", ["07:20", "08:40", "10:00", "11:20", "12:40", "14:00", "15:20", "16:30"],
         "ESTIMATE: return sailings mirrored from the 三江 listing", "estimate"),
    ],
    "ferry_yadanshan_baifeng": [
        ("pier_yadanshan", "daily", ["01:30"] + ["03:30"] + every("05:30", "21:30", 60) + ["22:20", "23:20"],
         "old listing (seeinchina): from 鸭蛋山 01:30-23:20, 43 sailings a day in all; intermediate times interpolated "
         "(ESTIMATE); current status unverified", "low"),
        ("pier_baifeng", "daily", ["00:20", "02:30", "04:30"] + every("06:00", "22:00", 60) + ["23:20"],
         "old listing (seeinchina): from 白峰 00:20-23:20; intermediate times interpolated (ESTIMATE); current status "
         "unverified", "low"),
    ],
}

# --------------------------------------------------------------------------------------
# Incident types
# --------------------------------------------------------------------------------------

# region.toml [kpi]: what the district's published figures count.
KPI_TOML = [
    "",
    "# What the district's published figures count (the supervisor's KPIs follow them).",
    "# \"82.16 % of islands with no reported crime\" is read as: the district's inhabited islands",
    "# (inhabited = true and in_district = true in islands.geojson; 19 in this pack), an island",
    "# counting when none of the crime types below was reported on it in the period. Set",
    "# islands = \"in_district\" to count uninhabited islands of the district too.",
    "[kpi]",
    'islands = "inhabited_in_district"',
    'crime_types = ["theft", "fight"]',
    'traffic_types = ["traffic_accident", "injury_crash", "bridge_crash", "drunk_driving", "congestion"]',
    "# accidents with injuries go through the ordinary procedure (一般程序); damage-only",
    "# accidents (traffic_accident) through the simple one (简易程序)",
    'ordinary_traffic_accident_types = ["injury_crash", "bridge_crash"]',
]

INCIDENT_TYPES = [
    # id, name_zh, name_en, unit_kinds, default_priority, boat_fallback (issue #16: a police-crewed
    # boat answers when no eligible unit arrives within the priority's target)
    ("traffic_accident", "交通事故", "Traffic accident", "traffic;joint;post", 2, "police_crew"),
    ("injury_crash", "伤人交通事故（一般程序）", "Injury crash (ordinary procedure)", "traffic;joint;post", 1, "police_crew"),
    ("bridge_crash", "桥上事故", "Crash on a bridge", "traffic;joint", 1, "police_crew"),
    ("drunk_driving", "酒驾醉驾", "Drunk driving", "traffic;joint;post", 2, "police_crew"),
    ("congestion", "交通拥堵", "Traffic congestion", "traffic;joint;post", 3, "police_crew"),
    ("dispute", "纠纷", "Dispute", "station;joint;post", 3, "police_crew"),
    ("theft", "盗窃", "Theft", "station;joint;post", 3, "police_crew"),
    ("domestic", "家庭纠纷", "Domestic dispute", "station;joint;post", 2, "police_crew"),
    ("fight", "打架斗殴", "Fight", "station;joint;post", 1, "police_crew"),
    ("missing_person", "人员走失", "Missing person", "station;joint;post;boat", 1, ""),
    ("sea_rescue", "海上救助", "Rescue at sea", "boat", 1, ""),
    ("hazard", "安全隐患", "Hazard", "traffic;station;joint;post", 3, "police_crew"),
    ("citizen_tip", "群众随手拍", "Citizen tip", "traffic;station;joint;post", 4, "police_crew"),
]

# --------------------------------------------------------------------------------------
# Units (synthetic, in the spirit of "1 island, 4 officers"). Officers per unit below.
# --------------------------------------------------------------------------------------

SYN = "synthetic: illustrative unit, not the real order of battle"
UNITS = [
    # id, call_sign, kind, base, crew, speed_kmh, source, confidence
    ("dh_traffic_01", "定海交巡01", "traffic", "tsq_shuangqiao", 2, None),
    ("dh_traffic_02", "定海交巡02", "traffic", "tsq_shuangqiao", 2, None),
    ("dh_traffic_03", "定海交巡03", "traffic", "ps_lincheng", 2, None),
    ("dh_traffic_04", "定海交巡04", "traffic", "ps_ganlan", 2, None),
    ("dh_joint_01", "定海联勤01", "joint", "ps_shuangqiao", 3, None),
    ("dh_joint_02", "定海联勤02", "joint", "ps_cengang", 3, None),
    ("dh_joint_03", "定海联勤03", "joint", "ps_xiaosha", 3, None),
    ("changguo_patrol_01", "昌国巡01", "station", "ps_changguo", 2, None),
    ("chengdong_patrol_01", "城东巡01", "station", "ps_chengdong", 2, None),
    ("huannan_patrol_01", "环南巡01", "station", "ps_huannan", 2, None),
    ("yancang_patrol_01", "盐仓巡01", "station", "ps_yancang", 2, None),
    ("lincheng_patrol_01", "临城巡01", "station", "ps_lincheng", 2, None),
    ("gaoxin_patrol_01", "高新巡01", "station", "ps_gaoxin", 2, None),
    ("maao_patrol_01", "马岙巡01", "station", "ps_maao", 2, None),
    ("baiquan_patrol_01", "白泉巡01", "station", "ps_baiquan", 2, None),
    ("ganlan_patrol_01", "干览巡01", "station", "ps_ganlan", 2, None),
    ("jintang_traffic_01", "金塘交巡01", "traffic", "lm_jintang_toll", 2, None),
    ("jintang_patrol_01", "金塘巡01", "station", "ps_jintang", 2, None),
    ("jintang_joint_01", "金塘联勤01", "joint", "ps_jintang", 3, None),
    ("jintang_joint_02", "金塘联勤02", "joint", "ligang", 3, None),
    ("cezi_joint_01", "册子联勤01", "joint", "cebei", 2, None),
    ("changbai_post", "长白警务站", "post", "post_changbai", 2, None),
    ("panzhi_post", "盘峙共治警务站", "post", "post_panzhi", 2, None),
    ("boat_01", "定海警艇01", "boat", "pier_dinghai", 3, 45),
    ("boat_02", "定海警艇02", "boat", "pier_ligang", 3, 45),
    ("boat_03", "定海警艇03", "boat", "pier_sanjiang", 3, 45),
]
OFFICERS_PER_KIND = {"traffic": 4, "station": 4, "joint": 6, "post": 4, "boat": 4}
# Made-up names: a surname list and two given-name syllable lists, combined in a fixed
# order. Any resemblance to a real person is chance.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN1 = "海建志文晓国明伟立永振舟岛潮航浩俊思雨晨"
GIVEN2 = "涛波峰军华平宇辉磊杰斌强洋帆岚鸣宁远澜清"

# --------------------------------------------------------------------------------------
# Public holidays (国务院办公厅 notices). kind: holiday / workday (调休上班).
# --------------------------------------------------------------------------------------

N2025 = "国办发明电〔2024〕12号"
N2026 = "国办发明电〔2025〕 (notice of Nov 2025)"
HOLIDAYS = []


def _days(y, m, d, n):
    start = dt.date(y, m, d)
    return [start + dt.timedelta(days=i) for i in range(n)]


def _hol(days, zh, en):
    for d in days:
        HOLIDAYS.append((d.isoformat(), "holiday", zh, en))


def _work(y, m, d, zh, en):
    HOLIDAYS.append((dt.date(y, m, d).isoformat(), "workday", zh, en))


# 2025
_hol(_days(2025, 1, 1, 1), "元旦", "New Year's Day")
_work(2025, 1, 26, "春节调休上班", "Spring Festival make-up working day")
_hol(_days(2025, 1, 28, 8), "春节", "Spring Festival")
_work(2025, 2, 8, "春节调休上班", "Spring Festival make-up working day")
_hol(_days(2025, 4, 4, 3), "清明节", "Qingming Festival")
_work(2025, 4, 27, "劳动节调休上班", "Labour Day make-up working day")
_hol(_days(2025, 5, 1, 5), "劳动节", "Labour Day")
_hol(_days(2025, 5, 31, 3), "端午节", "Dragon Boat Festival")
_work(2025, 9, 28, "国庆节调休上班", "National Day make-up working day")
_hol(_days(2025, 10, 1, 8), "国庆节、中秋节", "National Day and Mid-Autumn Festival")
_work(2025, 10, 11, "国庆节调休上班", "National Day make-up working day")
# 2026
_hol(_days(2026, 1, 1, 3), "元旦", "New Year's Day")
_work(2026, 1, 4, "元旦调休上班", "New Year make-up working day")
_work(2026, 2, 14, "春节调休上班", "Spring Festival make-up working day")
_hol(_days(2026, 2, 15, 9), "春节", "Spring Festival")
_work(2026, 2, 28, "春节调休上班", "Spring Festival make-up working day")
_hol(_days(2026, 4, 4, 3), "清明节", "Qingming Festival")
_hol(_days(2026, 5, 1, 5), "劳动节", "Labour Day")
_work(2026, 5, 9, "劳动节调休上班", "Labour Day make-up working day")
_hol(_days(2026, 6, 19, 3), "端午节", "Dragon Boat Festival")
_work(2026, 9, 20, "国庆节调休上班", "National Day make-up working day")
_hol(_days(2026, 9, 25, 3), "中秋节", "Mid-Autumn Festival")
_hol(_days(2026, 10, 1, 7), "国庆节", "National Day")
_work(2026, 10, 10, "国庆节调休上班", "National Day make-up working day")
# 2027: not announced when this was written. Statutory days only (全国年节及纪念日放假办法,
# 2024 revision: 元旦1, 春节4 (除夕 + 初一..初三), 清明1, 劳动节2, 端午1, 中秋1, 国庆3);
# lunar dates: 除夕 2027-02-05, 清明 04-05, 端午 06-09, 中秋 09-15. Bridging days and
# make-up working days will be added when the State Council publishes them.
E27 = " (estimate: not yet announced; statutory day only, bridging and make-up days unknown)"
_hol(_days(2027, 1, 1, 1), "元旦", "New Year's Day" + E27)
_hol(_days(2027, 2, 5, 4), "春节", "Spring Festival" + E27)
_hol(_days(2027, 4, 5, 1), "清明节", "Qingming Festival" + E27)
_hol(_days(2027, 5, 1, 2), "劳动节", "Labour Day" + E27)
_hol(_days(2027, 6, 9, 1), "端午节", "Dragon Boat Festival" + E27)
_hol(_days(2027, 9, 15, 1), "中秋节", "Mid-Autumn Festival" + E27)
_hol(_days(2027, 10, 1, 3), "国庆节", "National Day" + E27)
HOLIDAYS.sort()

# ======================================================================================
# Geometry (local equirectangular projection around 122E 30N; metres)
# ======================================================================================

LON0, LAT0 = 122.0, 30.0
KX = 111320.0 * math.cos(math.radians(LAT0)) * 1.0017  # ~m per degree lon at 30N (WGS84)
KY = 110852.0                                         # m per degree lat at 30N


def to_xy(lon, lat):
    return ((lon - LON0) * KX, (lat - LAT0) * KY)


def to_ll(x, y):
    return (LON0 + x / KX, LAT0 + y / KY)


def haversine(a, b):
    (lon1, lat1), (lon2, lat2) = a, b
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def seg_nearest(p, a, b):
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / L))
    return (ax + t * dx, ay + t * dy)


class Shape:
    """A polygon (list of rings, lon/lat) with projected rings for fast tests."""

    def __init__(self, rings_ll):
        self.rings_ll = rings_ll
        self.rings = [[to_xy(*p) for p in r] for r in rings_ll]
        xs = [p[0] for p in self.rings[0]]
        ys = [p[1] for p in self.rings[0]]
        self.bbox = (min(xs), min(ys), max(xs), max(ys))
        self.segs = [(r[i], r[i + 1]) for r in self.rings for i in range(len(r) - 1)]
        a = 0.0
        for r in self.rings:
            a += sum(r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1] for i in range(len(r) - 1)) / 2
        # outer ring area minus holes (orientation-independent)
        outer = abs(sum(self.rings[0][i][0] * self.rings[0][i + 1][1] - self.rings[0][i + 1][0] * self.rings[0][i][1]
                        for i in range(len(self.rings[0]) - 1)) / 2)
        holes = sum(abs(sum(r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1] for i in range(len(r) - 1)) / 2)
                    for r in self.rings[1:])
        self.area_km2 = (outer - holes) / 1e6
        self._interior = None

    def contains(self, p):
        x, y = p
        b = self.bbox
        if x < b[0] or x > b[2] or y < b[1] or y > b[3]:
            return False
        inside = False
        for r in self.rings:
            for i in range(len(r) - 1):
                (x1, y1), (x2, y2) = r[i], r[i + 1]
                if (y1 > y) != (y2 > y):
                    if x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                        inside = not inside
        return inside

    def nearest_boundary(self, p):
        best = (float("inf"), None, None)
        for s in self.segs:
            q = seg_nearest(p, *s)
            d = dist(p, q)
            if d < best[0]:
                best = (d, q, s)
        return best

    def boundary_dist(self, p):
        return self.nearest_boundary(p)[0]

    def outside_dist(self, p):
        return 0.0 if self.contains(p) else self.boundary_dist(p)

    def boundary_samples(self, step=25.0):
        for a, b in self.segs:
            n = max(1, int(dist(a, b) / step))
            for i in range(n):
                t = i / n
                yield (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])), (a, b)

    def interior_point(self):
        """The grid point farthest from the coast (a stand-in for the pole of inaccessibility)."""
        if self._interior is None:
            b = self.bbox
            step = max(20.0, min(b[2] - b[0], b[3] - b[1]) / 40)
            best = (-1.0, None)
            y = b[1] + step / 2
            while y < b[3]:
                x = b[0] + step / 2
                while x < b[2]:
                    if self.contains((x, y)):
                        d = self.boundary_dist((x, y))
                        if d > best[0]:
                            best = (d, (x, y))
                    x += step
                y += step
            self._interior = best[1]
        return self._interior

    def inward(self, q, seg, depth):
        """q on the boundary segment seg -> a point `depth` m inside (None if that fails)."""
        (ax, ay), (bx, by) = seg
        L = math.hypot(bx - ax, by - ay) or 1.0
        for sign in (1, -1):
            nx, ny = -(by - ay) / L * sign, (bx - ax) / L * sign
            for d in (depth, depth * 0.6, depth * 0.3):
                c = (q[0] + nx * d, q[1] + ny * d)
                if self.contains(c) and self.boundary_dist(c) >= d * 0.5:
                    return c
        # fall back: walk from q towards the interior point
        ip = self.interior_point()
        L = dist(q, ip)
        t = 0.0
        while t < L:
            t += 10.0
            c = (q[0] + (ip[0] - q[0]) * t / L, q[1] + (ip[1] - q[1]) * t / L)
            if self.contains(c) and self.boundary_dist(c) >= min(depth * 0.5, 30):
                return c
        return ip

    def water_gaps(self, a, b, step=50.0):
        """Longest run (m) of the segment a-b outside the polygon, sampled every `step` m."""
        L = dist(a, b)
        n = max(1, int(math.ceil(L / step)))
        run = longest = 0.0
        for i in range(n + 1):
            t = i / n
            p = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
            if self.contains(p):
                run = 0.0
            else:
                run += L / n
                longest = max(longest, run)
        return longest


def clip_ring(ring, box):
    """Sutherland-Hodgman clip of a lon/lat ring to box (min_lon, min_lat, max_lon, max_lat)."""
    minx, miny, maxx, maxy = box

    def cut(a, b, axis, v):
        t = (v - a[axis]) / (b[axis] - a[axis])
        p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
        p[axis] = v
        return [round(p[0], 5), round(p[1], 5)]

    edges = [(lambda p: p[0] >= minx, 0, minx), (lambda p: p[0] <= maxx, 0, maxx),
             (lambda p: p[1] >= miny, 1, miny), (lambda p: p[1] <= maxy, 1, maxy)]
    pts = [list(p) for p in ring[:-1]]
    for inside, axis, v in edges:
        res = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    res.append(cut(prev, cur, axis, v))
                res.append(cur)
            elif inside(prev):
                res.append(cut(prev, cur, axis, v))
        pts = res
        if not pts:
            return None
    # drop consecutive duplicates
    out = []
    for p in pts:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3:
        return None
    return out + [out[0]]


# ======================================================================================
# Build
# ======================================================================================

class Pack:
    def __init__(self):
        self.islands = []      # dicts: id, props, rings, shape
        self.island = {}
        self.places = []       # dicts
        self.place = {}
        self.roads = []
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)
        print("warning:", msg, file=sys.stderr)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def ring_centroid(ring_ll):
    """Area centroid (lon, lat) of a closed ring, computed in the local projection."""
    r = [to_xy(*p) for p in ring_ll]
    a = cx = cy = 0.0
    for i in range(len(r) - 1):
        (x0, y0), (x1, y1) = r[i], r[i + 1]
        k = x0 * y1 - x1 * y0
        a += k
        cx += (x0 + x1) * k
        cy += (y0 + y1) * k
    return to_ll(cx / (3 * a), cy / (3 * a))


def load_islands(pack, land_path):
    feats = json.load(open(land_path, encoding="utf-8"))["features"]
    have_mainland = False
    for (iid, zh, en, match, pop, in_d, conf, note) in ISLANDS:
        if match == "mainland":
            cut = [f for f in feats if f["properties"].get("touches_bbox_edge")
                   and Shape(f["geometry"]["coordinates"]).contains(to_xy(*MAINLAND_POINT))]
            if not cut:
                pack.warn("land input has no mainland: the Ningbo mainland, the Jintang Bridge and the "
                          "Yadanshan-Baifeng ferry are left out")
                continue
            have_mainland = True
            polys = []
            for f in cut:
                rings = [clip_ring(r, MAINLAND_STUB) for r in f["geometry"]["coordinates"]]
                if rings[0] is None:
                    continue
                polys.append([rings[0]] + [r for r in rings[1:] if r])
            # keep the largest piece (the stub)
            polys.sort(key=lambda rs: -Shape(rs).area_km2)
            rings = polys[0]
            src = (note + f"; land polygon {cut[0]['properties']['id']} clipped to {MAINLAND_STUB[0]}-"
                   f"{MAINLAND_STUB[2]}E {MAINLAND_STUB[1]}-{MAINLAND_STUB[3]}N; coastline: " + LAND_SOURCE)
        else:
            best = None
            for i, f in enumerate(feats):
                if f["properties"].get("touches_bbox_edge"):
                    continue
                d = haversine(ring_centroid(f["geometry"]["coordinates"][0]), match)
                if best is None or d < best[0]:
                    best = (d, i)
            if best[0] > 300:
                raise SystemExit(f"island {iid}: no land polygon with centroid near {match}")
            f = feats[best[1]]
            rings = f["geometry"]["coordinates"]
            fp = f["properties"]
            osm_name = f"; named {fp['name_zh']} in the OSM reference" if fp.get("name_zh") else ""
            src = (note + f"; land polygon {fp['id']} ({fp['area_km2']} km2){osm_name}; coastline: " + LAND_SOURCE)
        pack.islands.append({"id": iid, "name_zh": zh, "name_en": en, "inhabited": True, "in_district": in_d,
                             "population": pop, "source": src, "confidence": conf, "rings": rings})
    for isl in pack.islands:
        isl["shape"] = Shape(isl["rings"])
        pack.island[isl["id"]] = isl
    return have_mainland


def move_onto(shape, p_ll, kind, target_ll=None):
    """Return (new lon/lat, metres moved, reason) for a place; reason None if kept."""
    p = to_xy(*p_ll)
    inside = shape.contains(p)
    coastal = kind in ("pier", "bridge_end")
    if inside and (not coastal or shape.boundary_dist(p) <= 300):
        return p_ll, 0.0, None
    if coastal:
        depth = 40.0
        # the coast point closest to the estimate, leaning towards the other end
        t = to_xy(*target_ll) if target_ll else None
        best = None
        for q, seg in shape.boundary_samples(20.0):
            score = dist(p, q) + (0.5 * dist(q, t) if t else 0.0)
            if best is None or score < best[0]:
                best = (score, q, seg)
        _, q, seg = best
    else:
        depth = 100.0
        _, q, seg = shape.nearest_boundary(p)
    c = shape.inward(q, seg, depth)
    ll = to_ll(*c)
    ll = (round(ll[0], 5), round(ll[1], 5))
    # rounding may nudge a point on a thin island outside: walk to the interior point
    if not shape.contains(to_xy(*ll)):
        ll = tuple(round(v, 5) for v in to_ll(*shape.interior_point()))
    moved = haversine(p_ll, ll)
    reason = "onto the island polygon" if not inside else "to the coast"
    return ll, moved, reason


def build_places(pack, gaz_rows, have_mainland):
    names = {r["gazetteer_name_zh"]: r for r in read_csv(os.path.join(SOURCES, "places.csv"))}
    raw = []
    skipped = []
    for r in gaz_rows:
        if r["kind"] == "island":
            continue
        m = names.get(r["name_zh"])
        if m is None:
            raise SystemExit(f"gazetteer row {r['name_zh']} has no entry in dinghai-sources/places.csv")
        iid = GAZ_ISLAND.get(r["island"])
        if not m["id"] or iid not in pack.island:
            skipped.append(f"{r['name_zh']} ({r['island']})")
            continue
        raw.append({"id": m["id"], "kind": GAZ_KIND.get(r["kind"], r["kind"]), "name_zh": r["name_zh"],
                    "name_en": r["name_en"], "pinyin": m["pinyin"], "lon": float(r["lon"]), "lat": float(r["lat"]),
                    "island": iid, "source": r["source"], "confidence": r["confidence"]})
    for (pid, kind, zh, en, py, lon, lat, iid, src) in EXTRA_PLACES:
        if iid not in pack.island:
            skipped.append(f"{zh} (no {iid} polygon)")
            continue
        raw.append({"id": pid, "kind": kind, "name_zh": zh, "name_en": en, "pinyin": py, "lon": lon, "lat": lat,
                    "island": iid, "source": src, "confidence": "estimate"})
    pack.skipped_places = skipped
    by_id = {r["id"]: r for r in raw}
    # the other end of a pier's route / a bridge end's bridge (original estimates)
    target = {}
    pier_routes = {}
    for rt in FERRY_ROUTES:
        pier_routes.setdefault(rt[3], []).append(rt[4])
        pier_routes.setdefault(rt[4], []).append(rt[3])
    for pid, others in pier_routes.items():
        if len(others) == 1 and pid in by_id and others[0] in by_id:
            o = by_id[others[0]]
            target[pid] = (o["lon"], o["lat"])
    for b in BRIDGES:
        for x, y in ((b[3], b[4]), (b[4], b[3])):
            if x in by_id and y in by_id:
                target[x] = (by_id[y]["lon"], by_id[y]["lat"])
    for r in raw:
        shape = pack.island[r["island"]]["shape"]
        ll, moved, reason = move_onto(shape, (r["lon"], r["lat"]), r["kind"], target.get(r["id"]))
        if reason:
            r["lon"], r["lat"] = ll
            r["confidence"] = "estimate"
            r["source"] += f"; moved {moved:.0f} m {reason}"
        add_place(pack, r)
    # generated bridge ends (closest points of two islands)
    for (pid, zh, en, py, iid, other) in GENERATED_BRIDGE_ENDS:
        a, b = pack.island[iid]["shape"], pack.island[other]["shape"]
        best = None
        for q, seg in a.boundary_samples(25.0):
            d = b.boundary_dist(q)
            if best is None or d < best[0]:
                best = (d, q, seg)
        c = a.inward(best[1], best[2], 40.0)
        lon, lat = (round(v, 5) for v in to_ll(*c))
        add_place(pack, {"id": pid, "kind": "bridge_end", "name_zh": zh, "name_en": en, "pinyin": py, "lon": lon,
                         "lat": lat, "island": iid, "confidence": "estimate",
                         "source": f"generated: point of {iid} closest to {other} on the coastline polygons"})
    # every inhabited island gets at least one place
    for isl in pack.islands:
        if isl["inhabited"] and not any(p["island"] == isl["id"] for p in pack.places):
            sh = isl["shape"]
            c = to_xy(*Shape(isl["rings"]).rings_ll[0][0])
            # centroid of the outer ring; interior point if the centroid is in the sea
            ring = sh.rings[0]
            a = cx = cy = 0.0
            for i in range(len(ring) - 1):
                (x0, y0), (x1, y1) = ring[i], ring[i + 1]
                k = x0 * y1 - x1 * y0
                a += k
                cx += (x0 + x1) * k
                cy += (y0 + y1) * k
            c = (cx / (3 * a), cy / (3 * a))
            how = "island centroid"
            if not sh.contains(c) or sh.boundary_dist(c) < 50:
                c = sh.interior_point()
                how = "point farthest from the coast"
            lon, lat = (round(v, 5) for v in to_ll(*c))
            name = isl["name_zh"].split("（")[0]
            add_place(pack, {"id": f"{isl['id']}_settlement", "kind": "village", "name_zh": f"{name}村落（位置估计）",
                             "name_en": f"{isl['name_en'].split(' (')[0]} settlement (position estimated)",
                             "pinyin": PINYIN_ISLAND[isl["id"]] + " cunluo weizhi guji", "lon": lon, "lat": lat,
                             "island": isl["id"], "confidence": "estimate",
                             "source": f"generated: {how} (no gazetteer place on this island)"})


PINYIN_ISLAND = {"dongxiezhi": "dongxiezhi", "cishan": "cishan", "zhairuoshan": "zhairuoshan", "waidiao": "waidiaoshan",
                 "xiju": "xiju", "xiaopanzhi": "xiaopanzhi", "dongju": "dongju dao", "xixiezhi": "xixiezhi",
                 "lidiao": "lidiaoshan", "fuchi": "fuchishan", "daishan": "daishan dao", "ningbo": "ningbo dalu"}


def add_place(pack, r):
    if r["id"] in pack.place:
        raise SystemExit(f"duplicate place id {r['id']}")
    pack.places.append(r)
    pack.place[r["id"]] = r


# ---------------------------------------------------------------- roads ---------------

# The OSM land polygons are simplified to ~50 m, so a link may leave them by about that much
# where it cuts a headland; anything longer crosses water. (The 10m coastline needed 150 m.)
MAX_GAP_M = 60.0
GAP_STEP_M = 10.0


def link_ok(shape, a, b):
    return shape.water_gaps(a, b, GAP_STEP_M) <= MAX_GAP_M


def components(nodes, edges):
    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    comps = {}
    for n in nodes:
        comps.setdefault(find(n), []).append(n)
    return sorted(comps.values(), key=lambda c: (-len(c), c))


def build_roads(pack):
    junction_no = {}
    for isl in pack.islands:
        iid, shape = isl["id"], isl["shape"]
        ids = [p["id"] for p in pack.places if p["island"] == iid]
        if len(ids) < 2:
            continue
        pos = {i: to_xy(pack.place[i]["lon"], pack.place[i]["lat"]) for i in ids}
        cand = set()
        for i in ids:
            near = sorted((j for j in ids if j != i), key=lambda j: (dist(pos[i], pos[j]), j))[:4]
            for j in near:
                cand.add(tuple(sorted((i, j))))
        # Euclidean minimum spanning tree (Prim)
        inn = {ids[0]}
        best = {j: (dist(pos[ids[0]], pos[j]), ids[0]) for j in ids[1:]}
        while best:
            j = min(best, key=lambda k: (best[k][0], k))
            cand.add(tuple(sorted((j, best[j][1]))))
            inn.add(j)
            del best[j]
            for k in best:
                d = dist(pos[j], pos[k])
                if d < best[k][0]:
                    best[k] = (d, j)
        edges = [e for e in sorted(cand) if link_ok(shape, pos[e[0]], pos[e[1]])]
        comps = components(ids, edges)
        if len(comps) > 1:
            edges, new_nodes = route_around(pack, isl, ids, pos, edges, comps, junction_no)
            ids = ids + new_nodes
        comps = components(ids, edges)
        if len(comps) > 1:
            raise SystemExit(f"island {iid}: road graph still disconnected: {comps}")
        edges = add_shortcuts(shape, ids, pos, edges)
        for a, b in edges:
            add_road(pack, isl, a, b)


SPANNER_T = 1.3          # add a direct link when the network detour is worse than this
SPANNER_MAX_M = 12000


def add_shortcuts(shape, ids, pos, edges):
    """Greedy spanner: for place pairs (nearest first) whose network distance exceeds
    SPANNER_T x the straight line, add the direct link if it stays on land. Stops the
    k-nearest graph from sending e.g. Dinghai -> Baiquan round through Ma'ao."""
    edges = set(edges)
    adj = {i: {} for i in ids}
    for a, b in edges:
        adj[a][b] = adj[b][a] = dist(pos[a], pos[b])

    def sp(a, b, limit):
        dq, seen = [(0.0, a)], {a: 0.0}
        while dq:
            d, u = heapq.heappop(dq)
            if u == b:
                return d
            if d > limit or d > seen.get(u, float("inf")):
                continue
            for v, w in adj[u].items():
                if d + w < seen.get(v, float("inf")):
                    seen[v] = d + w
                    heapq.heappush(dq, (d + w, v))
        return float("inf")

    pairs = sorted((dist(pos[a], pos[b]), a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    for d, a, b in pairs:
        if d > SPANNER_MAX_M or d < 1.0 or (a, b) in edges or (b, a) in edges:
            continue
        if sp(a, b, SPANNER_T * d) > SPANNER_T * d and link_ok(shape, pos[a], pos[b]):
            e = tuple(sorted((a, b)))
            edges.add(e)
            adj[a][b] = adj[b][a] = d
    return sorted(edges)


def route_around(pack, isl, ids, pos, edges, comps, junction_no):
    """Connect the components through a grid of land points; new junction places on the way."""
    iid, shape = isl["id"], isl["shape"]
    b = shape.bbox
    step = max(250.0, math.sqrt(shape.area_km2 * 1e6) / 40)
    grid = {}
    gy = 0
    y = b[1] + step / 2
    while y < b[3]:
        gx = 0
        x = b[0] + step / 2
        while x < b[2]:
            if shape.contains((x, y)) and shape.boundary_dist((x, y)) >= min(100.0, step / 3):
                grid[(gx, gy)] = (x, y)
            gx += 1
            x += step
        gy += 1
        y += step
    adj = {}

    def link(u, v, w):
        adj.setdefault(u, []).append((v, w))
        adj.setdefault(v, []).append((u, w))

    for (gx, gy), p in grid.items():
        for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
            q = grid.get((gx + dx, gy + dy))
            if q is None:
                continue
            mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
            if shape.contains(mid):
                link(("g", gx, gy), ("g", gx + dx, gy + dy), dist(p, q))
    for i in ids:
        for k, p in grid.items():
            d = dist(pos[i], p)
            if d <= 2.5 * step and link_ok(shape, pos[i], p):
                link(("p", i), ("g",) + k, d)
    for a, c in edges:
        link(("p", a), ("p", c), dist(pos[a], pos[c]))

    def xy(n):
        return pos[n[1]] if n[0] == "p" else grid[(n[1], n[2])]

    new_nodes = []
    edges = list(edges)
    while True:
        comps = components(ids + new_nodes, edges)
        if len(comps) == 1:
            break
        main = set(comps[0])
        # Dijkstra from the largest component to the nearest place of another component
        dq = [(0.0, ("p", n)) for n in sorted(main)]
        heapq.heapify(dq)
        seen, prev = {}, {}
        for _, n in dq:
            seen[n] = 0.0
        goal = None
        while dq:
            d, u = heapq.heappop(dq)
            if d > seen.get(u, float("inf")):
                continue
            if u[0] == "p" and u[1] not in main:
                goal = u
                break
            for v, w in adj.get(u, []):
                nd = d + w
                if nd < seen.get(v, float("inf")):
                    seen[v] = nd
                    prev[v] = u
                    heapq.heappush(dq, (nd, v))
        if goal is None:
            pack.warn(f"{iid}: cannot route on land between road components; straight links kept as estimate")
            a = min(((x, y) for x in main for y in ids if y not in main), key=lambda e: dist(pos[e[0]], pos[e[1]]))
            edges.append(a)
            continue
        path = [goal]
        while path[-1] in prev:
            path.append(prev[path[-1]])
        path.reverse()
        # string pulling: keep as few vertices as possible with on-land segments
        keep = [0]
        i = 0
        while i < len(path) - 1:
            j = len(path) - 1
            while j > i + 1 and not link_ok(shape, xy(path[i]), xy(path[j])):
                j -= 1
            keep.append(j)
            i = j
        names = []
        for k in keep:
            n = path[k]
            if n[0] == "p":
                names.append(n[1])
                continue
            junction_no[iid] = junction_no.get(iid, 0) + 1
            jid = f"jct_{iid}_{junction_no[iid]:02d}"
            lon, lat = (round(v, 5) for v in to_ll(*xy(n)))
            add_place(pack, {"id": jid, "kind": "junction", "name_zh": f"生成路口{junction_no[iid]:02d}",
                             "name_en": f"Generated junction {junction_no[iid]:02d}",
                             "pinyin": f"shengcheng lukou {junction_no[iid]:02d}", "lon": lon, "lat": lat,
                             "island": iid, "confidence": "estimate",
                             "source": "generated: road node routing around water between places (grid path on the "
                                       "coastline polygon); replace with real road data"})
            pos[jid] = to_xy(lon, lat)
            new_nodes.append(jid)
            names.append(jid)
            link(("p", jid), n, 0.0)
        for u, v in zip(names, names[1:]):
            edges.append(tuple(sorted((u, v))))
            link(("p", u), ("p", v), dist(pos[u], pos[v]))
    return edges, new_nodes


def road_class(isl, a, b, length_m):
    mid = ((a["lon"] + b["lon"]) / 2, (a["lat"] + b["lat"]) / 2)
    if isl["id"] == "zhoushan" and any(haversine(mid, c) <= URBAN_RADIUS_M for c in URBAN_CENTRES):
        return "urban"
    area = isl["shape"].area_km2
    if area >= BIG_ISLAND_KM2 and length_m > NATIONAL_MIN_M:
        return "national"
    if area < SMALL_ISLAND_KM2:
        return "small_island"
    return "village"


def add_road(pack, isl, a, b):
    pa, pb = pack.place[a], pack.place[b]
    length = haversine((pa["lon"], pa["lat"]), (pb["lon"], pb["lat"])) * DETOUR
    length = max(10, int(round(length)))
    note = ""
    if not link_ok(isl["shape"], to_xy(pa["lon"], pa["lat"]), to_xy(pb["lon"], pb["lat"])):
        note = "; WARNING: the straight line crosses water (no land route found)"
    pack.roads.append({"id": f"r_{a}__{b}", "from": a, "to": b, "class": road_class(isl, pa, pb, length),
                       "length_m": length,
                       "source": f"generated: straight line × {DETOUR} detour; replace with real road data" + note,
                       "confidence": "estimate"})


# ------------------------------------------------------------- writers ----------------

def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else (str(v).strip() if not isinstance(v, float) else fmt(v)) for v in r])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def fmt(v):
    s = f"{v:.5f}".rstrip("0").rstrip(".")
    return s


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def build(args):
    ref = args.reference
    gaz = read_csv(os.path.join(ref, "dinghai-gazetteer.csv"))
    pack = Pack()
    have_mainland = load_islands(pack, args.land)
    build_places(pack, gaz, have_mainland)
    build_roads(pack)
    out = args.out
    os.makedirs(out, exist_ok=True)

    # ---- islands.geojson (one feature per line)
    lines = []
    for isl in pack.islands:
        props = {k: isl[k] for k in ("id", "name_zh", "name_en", "inhabited", "in_district", "population",
                                     "source", "confidence")}
        geom = {"type": "Polygon", "coordinates": isl["rings"]}
        lines.append(json.dumps({"type": "Feature", "properties": props, "geometry": geom}, ensure_ascii=False,
                                separators=(",", ":")))
    with open(os.path.join(out, "islands.geojson"), "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n")

    # ---- places.csv
    write_csv(os.path.join(out, "places.csv"),
              ["id", "kind", "name_zh", "name_en", "pinyin", "lon", "lat", "island", "source", "confidence"],
              [[p["id"], p["kind"], p["name_zh"], p["name_en"], p["pinyin"], float(p["lon"]), float(p["lat"]),
                p["island"], p["source"], p["confidence"]] for p in pack.places])

    # ---- roads.csv
    write_csv(os.path.join(out, "roads.csv"), ["id", "from", "to", "class", "length_m", "source", "confidence"],
              [[r["id"], r["from"], r["to"], r["class"], r["length_m"], r["source"], r["confidence"]]
               for r in pack.roads])

    # ---- bridges.csv
    rows = []
    for (bid, zh, en, a, b, cls, length, opened, wind, src) in BRIDGES:
        if a not in pack.place or b not in pack.place:
            pack.warn(f"bridge {bid} left out: end {a if a not in pack.place else b} not in the pack")
            continue
        pa, pb = pack.place[a], pack.place[b]
        straight = haversine((pa["lon"], pa["lat"]), (pb["lon"], pb["lat"]))
        if length is None:
            length = int(round(straight * BRIDGE_DETOUR / 10) * 10)
            src += f"; length_m = straight line between the ends × {BRIDGE_DETOUR} (ESTIMATE)"
        rows.append([bid, zh, en, a, b, cls, length, opened, wind, f"{src}; {BRIDGE_WIND_NOTE}", "estimate"])
    write_csv(os.path.join(out, "bridges.csv"), ["id", "name_zh", "name_en", "from", "to", "class", "length_m",
                                                 "opened", "close_wind_force", "source", "confidence"], rows)

    # ---- ferry_routes.csv + sailings.csv
    rows, srows = [], []
    for (rid, zh, en, a, b, vessel, cmin, wind, vis, src, conf) in FERRY_ROUTES:
        if a not in pack.place or b not in pack.place:
            pack.warn(f"ferry route {rid} left out: pier {a if a not in pack.place else b} not in the pack")
            continue
        rows.append([rid, zh, en, a, b, vessel, cmin, wind, vis, src, conf])
        for (frm, day, times, ssrc, sconf) in SAILINGS[rid]:
            for t in times:
                srows.append([rid, frm, day, t, ssrc, sconf])
    write_csv(os.path.join(out, "ferry_routes.csv"),
              ["id", "name_zh", "name_en", "from", "to", "vessel", "crossing_min", "stop_wind_force",
               "stop_visibility_m", "source", "confidence"], rows)
    order = {"daily": 0, "weekday": 1, "weekend": 2, "holiday": 3}
    srows.sort(key=lambda r: ([x[0] for x in rows].index(r[0]), r[1] != [x for x in rows if x[0] == r[0]][0][3],
                              order[r[2]], r[3]))
    write_csv(os.path.join(out, "sailings.csv"), ["route", "from", "day_type", "depart", "source", "confidence"], srows)

    # ---- incident_types.csv
    write_csv(os.path.join(out, "incident_types.csv"),
              ["id", "name_zh", "name_en", "unit_kinds", "default_priority", "boat_fallback"], INCIDENT_TYPES)

    # ---- units.csv + officers.csv
    urows, orows = [], []
    n = 0
    for (uid, call, kind, base, crew, speed) in UNITS:
        if base not in pack.place:
            raise SystemExit(f"unit {uid}: base {base} is not a place")
        urows.append([uid, call, kind, base, crew, speed, SYN, "estimate"])
        home = pack.place[base]["island"]
        for k in range(OFFICERS_PER_KIND[kind]):
            s = SURNAMES[(n * 7) % len(SURNAMES)]
            g = GIVEN1[(n * 3) % len(GIVEN1)] + GIVEN2[(n * 5 + n // len(GIVEN2)) % len(GIVEN2)]
            if kind == "traffic":
                skill = "both" if k == 3 else "traffic"
            elif kind == "station":
                skill = "both" if k == 3 else "station"
            elif kind in ("joint", "post"):
                skill = "both" if k % 2 == 0 else ("traffic" if k % 4 == 1 else "station")
            else:
                skill = "station" if k % 2 else "both"
            n += 1
            orows.append([f"off_{n:03d}", s + g, skill, home, uid,
                          "synthetic: made-up name, not a real officer", "estimate"])
    write_csv(os.path.join(out, "units.csv"),
              ["id", "call_sign", "kind", "base", "crew", "speed_kmh", "source", "confidence"], urows)
    write_csv(os.path.join(out, "officers.csv"),
              ["id", "name", "skills", "home_island", "unit", "source", "confidence"], orows)

    # ---- holidays.csv
    write_csv(os.path.join(out, "holidays.csv"), ["date", "kind", "name_zh", "name_en"], HOLIDAYS)

    # ---- region.toml
    lons, lats = [], []
    for isl in pack.islands:
        for r in isl["rings"]:
            for x, y in r:
                lons.append(x)
                lats.append(y)
    for p in pack.places:
        lons.append(p["lon"])
        lats.append(p["lat"])
    b = (math.floor(min(lons) * 100 - 1) / 100, math.ceil(max(lons) * 100 + 1) / 100,
         math.floor(min(lats) * 100 - 1) / 100, math.ceil(max(lats) * 100 + 1) / 100)
    t = []
    t.append("# Dinghai District region pack. Generated by scripts/region-pack/build_dinghai.py: edit the")
    t.append("# generator's tables and re-run it, or edit these files by hand and run `tidewatch region check`.")
    t.append('id = "dinghai"')
    t.append('name_zh = "舟山市定海区"')
    t.append('name_en = "Dinghai District, Zhoushan"')
    t.append('time_zone = "Asia/Shanghai"')
    t.append("attribution = " + toml_str(
        "Coastlines " + ATTRIBUTION + ". "
        "Places, bridges and ferries: public sources named in each row's source column; most coordinates, "
        "all roads, timetables, units and officers are estimates or synthetic."))
    t.append("")
    t.append("[bounds]            # every coordinate in the pack lies inside (covers Daishan and the Ningbo stub)")
    t.append(f"min_lon = {b[0]:.2f}")
    t.append(f"max_lon = {b[1]:.2f}")
    t.append(f"min_lat = {b[2]:.2f}")
    t.append(f"max_lat = {b[3]:.2f}")
    t.append("")
    t.append("[defaults]")
    t.append(f"detour_factor = {DETOUR}        # road length = straight line × this, for generated links")
    t.append("snap_max_m = 3000           # an incident further than this from any road node is \"off network\"")
    t.append(f"place_tolerance_m = {PLACE_TOLERANCE_M}     # a place may lie at most this far outside its island polygon")
    t.append("access_speed_kmh = 20       # from the snapped road node to the incident point")
    t.append("ferry_disembark_min = 3     # added to every crossing")
    t.append("boat_speed_kmh = 45         # default police-boat speed (units.csv may override)")
    t.append("boat_detour_factor = 1.2    # boat track = straight line × this")
    t.append("boat_landing_min = 3")
    t.append("walk_speed_kmh = 5          # a crew landed by boat where no vehicle is stationed walks (issue #16)")
    for cid, speed, note in ROAD_CLASSES:
        t.append("")
        t.append("[[road_class]]")
        t.append(f"# {note}")
        t.append(f'id = "{cid}"')
        t.append(f"speed_kmh = {speed}")
    t.append("")
    t.append("# Response-time targets (received -> on scene), seconds, by priority and route mode.")
    t.append("# Local policy, not law: starting values for the command centre to set.")
    for (pr, road, bridge, ferry) in TARGETS:
        t.append("")
        t.append("[[target]]")
        t.append(f"priority = {pr}")
        t.append(f"road_s = {road}")
        t.append(f"bridge_s = {bridge}")
        t.append(f"ferry_s = {ferry}")
    t.extend(KPI_TOML)
    with open(os.path.join(out, "region.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(t) + "\n")

    print(f"wrote {out}", file=sys.stderr)
    if pack.skipped_places:
        print("gazetteer rows not on an included island (left out): " + "; ".join(pack.skipped_places),
              file=sys.stderr)
    return pack


# ======================================================================================
# Self-check (reads the written files back; independent of the build's data structures)
# ======================================================================================

ID_RE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


def check(out):
    errs = []

    def err(msg):
        errs.append(msg)

    def ok_id(s):
        return bool(s) and set(s) <= ID_RE_CHARS

    region = tomllib.load(open(os.path.join(out, "region.toml"), "rb"))
    bd = region["bounds"]
    tol = region["defaults"]["place_tolerance_m"]
    classes = {c["id"] for c in region["road_class"]}
    for need in ("expressway", "national", "urban", "village", "small_island", "bridge"):
        if need not in classes:
            err(f"region.toml: road_class {need} missing")
    if sorted(t["priority"] for t in region["target"]) != [1, 2, 3, 4]:
        err("region.toml: targets for priorities 1-4 expected")
    if "OpenStreetMap" not in region.get("attribution", "") or "ODbL" not in region.get("attribution", ""):
        err("region.toml: OSM ODbL attribution missing")

    def in_bounds(lon, lat):
        return bd["min_lon"] <= lon <= bd["max_lon"] and bd["min_lat"] <= lat <= bd["max_lat"]

    geo = json.load(open(os.path.join(out, "islands.geojson"), encoding="utf-8"))
    shapes, island_props = {}, {}
    for i, f in enumerate(geo["features"]):
        p = f["properties"]
        if not ok_id(p.get("id", "")):
            err(f"islands.geojson:{i}: bad id {p.get('id')}")
        if p["id"] in shapes:
            err(f"islands.geojson:{i}: duplicate id {p['id']}")
        for k in ("name_zh", "name_en", "inhabited", "in_district", "population", "source", "confidence"):
            if k not in p:
                err(f"islands.geojson:{i}: property {k} missing")
        if p.get("confidence") not in ("high", "medium", "low", "estimate"):
            err(f"islands.geojson:{i}: bad confidence")
        g = f["geometry"]
        rings = g["coordinates"] if g["type"] == "Polygon" else [r for poly in g["coordinates"] for r in poly]
        for r in rings:
            if r[0] != r[-1]:
                err(f"islands.geojson:{i}: ring not closed")
            for lon, lat in r:
                if not in_bounds(lon, lat):
                    err(f"islands.geojson:{i}: vertex {lon},{lat} outside bounds")
                    break
        shapes[p["id"]] = Shape(g["coordinates"]) if g["type"] == "Polygon" else None
        island_props[p["id"]] = p

    def rows(name):
        return read_csv(os.path.join(out, name))

    def raw_lines(name):
        with open(os.path.join(out, name), encoding="utf-8", newline="") as f:
            for n, line in enumerate(f.read().split("\n"), 1):
                if line.rstrip() != line:
                    err(f"{name}:{n}: trailing whitespace")

    for name in ("places.csv", "roads.csv", "bridges.csv", "ferry_routes.csv", "sailings.csv",
                 "incident_types.csv", "units.csv", "officers.csv", "holidays.csv"):
        raw_lines(name)

    shared_ns = {}
    places = rows("places.csv")
    place = {}
    kinds = {"station", "post", "traffic_squadron", "pier", "village", "town", "landmark", "bridge_end", "junction"}
    worst = (0.0, None)
    for n, p in enumerate(places, 2):
        if not ok_id(p["id"]) or p["id"] in place:
            err(f"places.csv:{n}: bad or duplicate id {p['id']}")
        place[p["id"]] = p
        shared_ns[p["id"]] = "places.csv"
        if p["kind"] not in kinds:
            err(f"places.csv:{n}: bad kind {p['kind']}")
        if not p["pinyin"] or not all(c.isascii() for c in p["pinyin"]):
            err(f"places.csv:{n}: pinyin missing or not ascii")
        lon, lat = float(p["lon"]), float(p["lat"])
        if not in_bounds(lon, lat):
            err(f"places.csv:{n}: {lon},{lat} outside bounds")
        sh = shapes.get(p["island"])
        if sh is None:
            err(f"places.csv:{n}: island {p['island']} unknown")
            continue
        d = sh.outside_dist(to_xy(lon, lat))
        if d > worst[0]:
            worst = (d, p["id"])
        if d > tol:
            err(f"places.csv:{n}: {p['id']} is {d:.0f} m outside island {p['island']}")
    for iid, ip in island_props.items():
        if ip["inhabited"] and not any(p["island"] == iid for p in places):
            err(f"island {iid} is inhabited but has no place")

    roads = rows("roads.csv")
    adj = {}
    rid = set()
    for n, r in enumerate(roads, 2):
        if not ok_id(r["id"]) or r["id"] in rid:
            err(f"roads.csv:{n}: bad or duplicate id")
        rid.add(r["id"])
        a, b = place.get(r["from"]), place.get(r["to"])
        if a is None or b is None:
            err(f"roads.csv:{n}: unknown place")
            continue
        if a["island"] != b["island"]:
            err(f"roads.csv:{n}: ends on different islands")
        if r["class"] not in classes:
            err(f"roads.csv:{n}: unknown class {r['class']}")
        if int(r["length_m"]) <= 0:
            err(f"roads.csv:{n}: length_m must be positive")
        sh = shapes[a["island"]]
        gap = sh.water_gaps(to_xy(float(a["lon"]), float(a["lat"])), to_xy(float(b["lon"]), float(b["lat"])),
                            GAP_STEP_M)
        if gap > MAX_GAP_M:
            err(f"roads.csv:{n}: link {r['id']} crosses {gap:.0f} m of water")
        adj.setdefault(r["from"], set()).add(r["to"])
        adj.setdefault(r["to"], set()).add(r["from"])
    for iid in island_props:
        nodes = [p["id"] for p in places if p["island"] == iid]
        if len(nodes) < 2:
            continue
        seen, stack = {nodes[0]}, [nodes[0]]
        while stack:
            u = stack.pop()
            for v in adj.get(u, ()):
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        if len(seen) != len(nodes):
            err(f"roads.csv: island {iid} road graph not connected ({len(seen)}/{len(nodes)} reachable)")

    bridges = rows("bridges.csv")
    for n, b in enumerate(bridges, 2):
        if not ok_id(b["id"]) or b["id"] in shared_ns:
            err(f"bridges.csv:{n}: bad id or id clash {b['id']}")
        shared_ns[b["id"]] = "bridges.csv"
        a, c = place.get(b["from"]), place.get(b["to"])
        if a is None or c is None or a["island"] == c["island"]:
            err(f"bridges.csv:{n}: ends must be places on different islands")
        if b["class"] not in classes:
            err(f"bridges.csv:{n}: unknown class")
        if b["opened"] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", b["opened"]):
            err(f"bridges.csv:{n}: opened must be YYYY, YYYY-MM, YYYY-MM-DD or empty")

    routes = rows("ferry_routes.csv")
    route = {}
    for n, r in enumerate(routes, 2):
        if not ok_id(r["id"]) or r["id"] in shared_ns:
            err(f"ferry_routes.csv:{n}: bad id or id clash {r['id']}")
        shared_ns[r["id"]] = "ferry_routes.csv"
        route[r["id"]] = r
        a, c = place.get(r["from"]), place.get(r["to"])
        if a is None or c is None or a["kind"] != "pier" or c["kind"] != "pier" or a["island"] == c["island"]:
            err(f"ferry_routes.csv:{n}: must join two piers on different islands")
        if r["vessel"] not in ("high_speed", "ordinary", "car_ferry"):
            err(f"ferry_routes.csv:{n}: bad vessel")

    sailings = rows("sailings.csv")
    late = []
    for n, s in enumerate(sailings, 2):
        r = route.get(s["route"])
        if r is None:
            err(f"sailings.csv:{n}: unknown route")
            continue
        if s["from"] not in (r["from"], r["to"]):
            err(f"sailings.csv:{n}: from is not an end of the route")
        if s["day_type"] not in ("weekday", "weekend", "holiday", "daily"):
            err(f"sailings.csv:{n}: bad day_type")
        t = s["depart"]
        if len(t) != 5 or t[2] != ":" or not (t[:2].isdigit() and t[3:].isdigit()) or int(t[:2]) > 23 or int(t[3:]) > 59:
            err(f"sailings.csv:{n}: bad time {t}")
        elif not ("05:30" <= t <= "19:00"):
            late.append(s["route"])
    for rid_ in route:
        if not any(s["route"] == rid_ for s in sailings):
            err(f"ferry_routes.csv: route {rid_} has no sailings")

    kinds_u = {"traffic", "station", "joint", "post", "boat"}
    for n, it in enumerate(rows("incident_types.csv"), 2):
        if not ok_id(it["id"]) or not set(it["unit_kinds"].split(";")) <= kinds_u:
            err(f"incident_types.csv:{n}: bad id or unit_kinds")
        if it["default_priority"] not in ("1", "2", "3", "4"):
            err(f"incident_types.csv:{n}: bad priority")
    units = rows("units.csv")
    unit = {}
    for n, u in enumerate(units, 2):
        if not ok_id(u["id"]) or u["id"] in unit:
            err(f"units.csv:{n}: bad or duplicate id")
        unit[u["id"]] = u
        if u["kind"] not in kinds_u:
            err(f"units.csv:{n}: bad kind")
        b = place.get(u["base"])
        if b is None:
            err(f"units.csv:{n}: base {u['base']} is not a place")
        elif u["kind"] == "boat" and b["kind"] != "pier":
            err(f"units.csv:{n}: boat base must be a pier")
    officers = rows("officers.csv")
    oid = set()
    for n, o in enumerate(officers, 2):
        if not ok_id(o["id"]) or o["id"] in oid:
            err(f"officers.csv:{n}: bad or duplicate id")
        oid.add(o["id"])
        if o["unit"] and o["unit"] not in unit:
            err(f"officers.csv:{n}: unit {o['unit']} unknown")
        if o["home_island"] not in island_props:
            err(f"officers.csv:{n}: home_island unknown")
        if o["skills"] not in ("traffic", "station", "both"):
            err(f"officers.csv:{n}: bad skills")
    hol = rows("holidays.csv")
    hd = set()
    for n, h in enumerate(hol, 2):
        d = dt.date.fromisoformat(h["date"])
        if h["date"] in hd:
            err(f"holidays.csv:{n}: duplicate date")
        hd.add(h["date"])
        if h["kind"] == "workday" and d.weekday() < 5:
            err(f"holidays.csv:{n}: make-up workday {d} is not on a weekend")
        if h["kind"] not in ("holiday", "workday"):
            err(f"holidays.csv:{n}: bad kind")
    for name in ("places.csv", "roads.csv", "bridges.csv", "ferry_routes.csv", "sailings.csv", "units.csv",
                 "officers.csv"):
        for n, r in enumerate(rows(name), 2):
            if r["confidence"] not in ("high", "medium", "low", "estimate"):
                err(f"{name}:{n}: bad confidence")

    def est(rs):
        return sum(1 for r in rs if r.get("confidence") not in ("high", "medium"))

    est_islands = sum(1 for p in island_props.values() if p["confidence"] not in ("high", "medium"))
    print("counts:")
    print(f"  islands        {len(island_props):4d}  (low/estimate {est_islands})")
    print(f"  places         {len(places):4d}  (low/estimate {est(places)}; junctions "
          f"{sum(1 for p in places if p['kind'] == 'junction')}; worst outside {worst[0]:.0f} m {worst[1] or ''})")
    print(f"  roads          {len(roads):4d}  (low/estimate {est(roads)})")
    print(f"  bridges        {len(bridges):4d}  (low/estimate {est(bridges)})")
    print(f"  ferry routes   {len(routes):4d}  (low/estimate {est(routes)})")
    print(f"  sailings       {len(sailings):4d}  (low/estimate {est(sailings)})")
    print(f"  incident types {len(rows('incident_types.csv')):4d}")
    print(f"  units          {len(units):4d}  (low/estimate {est(units)})")
    print(f"  officers       {len(officers):4d}  (low/estimate {est(officers)})")
    print(f"  holidays       {len(hol):4d}")
    print(f"  rows with confidence not high/medium: "
          f"{est_islands + est(places) + est(roads) + est(bridges) + est(routes) + est(sailings) + est(units) + est(officers)}")
    if late:
        print(f"  note: night sailings (outside 05:30-19:00) on: {', '.join(sorted(set(late)))}")
    if errs:
        print(f"check FAILED: {len(errs)} error(s)")
        for e in errs:
            print("  " + e)
        return False
    print("check passed")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", default=os.path.join(REPO, "..", "shared", "reference"),
                    help="shared reference directory (default: ../shared/reference from the repo root)")
    ap.add_argument("--land", default=None,
                    help="OSM land polygons GeoJSON (default: REFERENCE/osm-zhoushan/zhoushan-land-osm.geojson)")
    ap.add_argument("--out", default=os.path.join(REPO, "assets", "regions", "dinghai"))
    ap.add_argument("--check", action="store_true", help="verify the pack after building it")
    ap.add_argument("--check-only", action="store_true", help="only verify an existing pack")
    args = ap.parse_args()
    args.reference = os.path.abspath(args.reference)
    if args.land is None:
        args.land = os.path.join(args.reference, "osm-zhoushan", "zhoushan-land-osm.geojson")
    if not args.check_only:
        print(f"land polygons: {args.land}", file=sys.stderr)
        build(args)
    if args.check or args.check_only:
        sys.exit(0 if check(args.out) else 1)


if __name__ == "__main__":
    main()
