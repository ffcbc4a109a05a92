// Generated from the Rust core by ts-rs (tests/ts_bindings.rs); do not edit. After changing
// a type: UPDATE_BINDINGS=1 cargo test --release -p tidewatch --test ts_bindings

export type AccountRow = { username: string, role: string, created_utc: number, disabled: boolean, };

export type Ack = { seq: number, };

export type Board = { at: number, incidents: Array<BoardIncident>, units: Array<BoardUnit>, };

export type BoardIncident = { id: number, state: string, incident_type: string, priority: number, island: string | null, lon: number, lat: number, unit: string | null, since_s: number, level: TimerLevel, route_mode: string | null, eta_s: number | null, };

export type BoardUnit = { unit: string, call_sign: string, kind: UnitKind, status: UnitStatus, position: string, island: string, lon: number, lat: number, incident: number | null, since_s: number | null, };

export type Bounds = { min_lon: number, max_lon: number, min_lat: number, max_lat: number, };

export type CallSource = "phone" | "citizen_tip" | "patrol";

export type Candidate = { unit: string, call_sign: string, kind: UnitKind, 
/**
 * The island the unit is on now.
 */
island: string, eta_s: number, route_mode: RouteMode, target_s: number | null, legs: Array<Leg>, warnings: Array<Warning>, };

export type ClosedBy = { "by": "hand" } | { "by": "wind", force: number, limit: number, } | { "by": "visibility", visibility_m: number, limit_m: number, };

export type ClosedLink = { id: string, kind: LinkKind, reason: ClosedBy, };

export type Conditions = { 
/**
 * Beaufort force, 0–17.
 */
wind_force: number, 
/**
 * Visibility in metres; `None` is clear.
 */
visibility_m: number | null, 
/**
 * Bridge or ferry-route ids closed by hand.
 */
closed: Array<string>, };

export type ConditionsView = { 
/**
 * Every bridge closed and ferry route suspended, by hand or by the weather, and why.
 */
closed_links: Array<ClosedLink>, 
/**
 * Police boats stay in port at this wind.
 */
boats_in_port: boolean, set_by: string | null, set_at: number | null, 
/**
 * Beaufort force, 0–17.
 */
wind_force: number, 
/**
 * Visibility in metres; `None` is clear.
 */
visibility_m: number | null, 
/**
 * Bridge or ferry-route ids closed by hand.
 */
closed: Array<string>, };

export type Confidence = "high" | "medium" | "low" | "estimate";

export type DeskSession = { username: string, role: string, signed_in_utc: number, 
/**
 * None while still signed in, or when the desk stopped without a sign-out.
 */
signed_out_utc: number | null, ended: SignOutReason | null, };

export type DispatchPlan = { recommended_unit: string | null, 
/**
 * 1-based rank of the chosen unit in the recommendation.
 */
rank: number | null, eta_s: number | null, route_mode: RouteMode | null, drive_s: number, ferry_wait_s: number, crossing_s: number, };

export type Event = { seq: number, incident_id: number | null, 
/**
 * When it happened (UTC unix seconds).
 */
at_utc: number, 
/**
 * When the desk wrote it (UTC unix seconds).
 */
recorded_utc: number, operator: string, body: EventBody, hash: string, };

export type EventBody = { "kind": "received", incident_type: string, priority: number, lon: number, lat: number, island: string | null, 
/**
 * The road node the incident is reached from (where a unit on scene is).
 */
node: string | null, source: CallSource, text: string, synthetic?: boolean, } | { "kind": "dispatched", unit: string, plan: DispatchPlan, override_reason: string | null, } | { "kind": "en_route", unit: string, } | { "kind": "on_scene", unit: string, } | { "kind": "cleared", unit: string | null, outcome: string, } | { "kind": "cancelled", reason: string, } | { "kind": "unit_withdrawn", unit: string, reason: string, } | { "kind": "note", text: string, } | { "kind": "correction", corrects_seq: number, field: string, value: string, reason: string, } | { "kind": "unit_status", unit: string, status: UnitStatus, position: string, } | { "kind": "checkpoint", place: string, island: string | null, vehicles_checked: number, 
/**
 * Violations by kind, e.g. drunk_driving, unlicensed_driving, overloading.
 */
violations: { [key in string]?: number }, synthetic?: boolean, } | { "kind": "patrol", unit: string, island: string | null, hours: number, synthetic?: boolean, } | { "kind": "service_stall", place: string, island: string | null, people_served: number, elderly_served: number, synthetic?: boolean, } | { "kind": "hazard", island: string | null, found_by: PoliceLine, passed_to: PoliceLine, description: string, synthetic?: boolean, } | { "kind": "tip_received", island: string | null, text: string, synthetic?: boolean, } | { "kind": "tip_assigned", tip: number, unit: string, } | { "kind": "tip_closed", tip: number, outcome: string, } | { "kind": "account_created", username: string, role: string, } | { "kind": "roster_published", 
/**
 * First day (local) and number of days.
 */
from: string, days: number, shifts: number, roster: unknown, } | { "kind": "conditions_set", wind_force: number, visibility_m: number | null, 
/**
 * Bridge and ferry-route ids closed or suspended by hand.
 */
closed: Array<string>, } | { "kind": "signed_in", role: string, } | { "kind": "signed_out", reason: SignOutReason, } | { "kind": "account_disabled", username: string, } | { "kind": "account_enabled", username: string, } | { "kind": "password_reset", username: string, };

export type Excluded = { ineligible: Array<string>, unavailable: Array<string>, unreachable: Array<string>, };

export type IncidentType = { id: IncidentTypeId, name_zh: string, name_en: string, unit_kinds: Array<UnitKind>, default_priority: number, };

export type IncidentTypeId = string;

export type IslandId = string;

export type Leg = { mode: LegMode, from: string, to: string, 
/**
 * RFC 3339 in the region's time zone.
 */
start: string, seconds: number, 
/**
 * The ferry route of a wait or ferry leg.
 */
route?: string, 
/**
 * Bridges a drive leg crosses.
 */
bridges?: Array<string>, 
/**
 * [lon, lat] points to draw the leg.
 */
path: Array<[number, number]>, };

export type LegMode = "drive" | "wait" | "ferry" | "boat";

export type LinkKind = "bridge" | "ferry";

export type Location = { lon: number, lat: number, 
/**
 * The island the point is on, if any.
 */
island: string | null, at_sea: boolean, node_id: string | null, snap_m: number, 
/**
 * From the road node to the point, at the access speed.
 */
access_s: number, 
/**
 * Further than the pack's `snap_max_m` from every road node of its island.
 */
off_network: boolean, 
/**
 * For a point at sea: the nearest island and how far off it the point is.
 */
nearest_island: string | null, nearest_island_m: number | null, };

export type MapFerry = { id: string, name_zh: string, name_en: string, vessel: VesselClass, from: [number, number], to: [number, number], suspended: boolean, estimated: boolean, };

export type MapLink = { id: string, name_zh: string, name_en: string, from: [number, number], to: [number, number], closed: boolean, estimated: boolean, };

export type MapPlace = { id: string, kind: string, name_zh: string, name_en: string, pinyin: string, lon: number, lat: number, island: string, confidence: Confidence, estimated: boolean, };

export type MapRoad = { id: string, from: [number, number], to: [number, number], class: string, estimated: boolean, };

export type MapUnit = { id: string, call_sign: string, kind: string, base: string, lon: number, lat: number, status: string, };

export type MapView = { region: RegionHeader, 
/**
 * `islands.geojson` with `estimated` added to each feature's properties.
 */
islands: import('./types').IslandCollection, places: Array<MapPlace>, roads: Array<MapRoad>, bridges: Array<MapLink>, ferry_routes: Array<MapFerry>, units: Array<MapUnit>, 
/**
 * Pack rows whose confidence is `low` or `estimate`.
 */
estimated_rows: number, };

export type OfficerId = string;

export type Place = { id: PlaceId, kind: PlaceKind, name_zh: string, name_en: string, pinyin: string, lon: number, lat: number, island: IslandId, source: string, confidence: Confidence, };

export type PlaceId = string;

export type PlaceKind = "station" | "post" | "traffic_squadron" | "pier" | "village" | "town" | "landmark" | "bridge_end" | "junction";

export type PoliceLine = "traffic" | "station";

export type Provenance = { source: string, confidence: Confidence, };

export type PublishedRoster = { 
/**
 * The journal event that published it.
 */
seq: number, published_at: number, published_by: string, from: string, days: number, shifts: number, };

export type ReassignOption = { status: UnitStatus, 
/**
 * The incident a busy unit would be taken off.
 */
incident: number | null, unit: string, call_sign: string, kind: UnitKind, 
/**
 * The island the unit is on now.
 */
island: string, eta_s: number, route_mode: RouteMode, target_s: number | null, legs: Array<Leg>, warnings: Array<Warning>, };

export type Recommendation = { location: Location, incident_type: string, priority: number, candidates: Array<Candidate>, excluded: Excluded, warnings: Array<Warning>, };

export type RegionHeader = { id: string, name_zh: string, name_en: string, time_zone: string, attribution: string, bounds: Bounds, };

export type Role = "dispatcher" | "patrol_leader" | "supervisor" | "administrator";

export type RouteMode = "road" | "bridge" | "ferry";

export type Scenario = { name: string, conditions: Conditions, 
/**
 * Calls × this factor (1.0: as recorded); extra calls are copies of recorded ones,
 * a few minutes later, chosen deterministically.
 */
surge: number, 
/**
 * Call to unit on its way (taking the call, dispatching, turning out), seconds.
 */
turnout_s: number, };

export type Session = { username: string, role: Role, };

export type SignIn = { needs_first_administrator: boolean, session: Session | null, };

export type SignOutReason = "signed_out" | "idle" | "replaced";

export type SimIncident = { 
/**
 * Received, UTC unix seconds.
 */
at: number, lon: number, lat: number, incident_type: IncidentTypeId, priority: number, 
/**
 * Time on scene, seconds.
 */
on_scene_s: number, island: string | null, };

export type SimReport = { scenario: Scenario, 
/**
 * Shifts of the roster replayed against (none: every unit always on duty).
 */
roster_shifts: number | null, calls: number, reached: number, 
/**
 * No eligible unit could get there under the conditions, or none is ever on duty.
 */
unreached: number, 
/**
 * Calls that waited for a unit to come free.
 */
waited: number, overall: SimRow, 
/**
 * By priority and route mode (`P1 road`, ...).
 */
by_priority_mode: Array<SimRow>, by_island: Array<SimRow>, by_route_mode: Array<SimRow>, seconds: number, model: string, };

export type SimRow = { key: string, calls: number, 
/**
 * Call to scene, seconds.
 */
response: Stats | null, within_target: number | null, };

export type Stats = { count: number, mean: number, p50: number, p90: number, max: number, };

export type TimerLevel = "ok" | "amber" | "red";

export type UnitId = string;

export type UnitKind = "traffic" | "station" | "joint" | "post" | "boat";

export type UnitStatus = "available" | "dispatched" | "en_route" | "on_scene" | "off_duty";

export type VesselClass = "high_speed" | "ordinary" | "car_ferry";

export type Warning = { kind: WarningKind, unit?: string, 
/**
 * In English; a UI words the warning in its own language from `kind` and `params`
 * and falls back to this.
 */
message: string, params: WarningParams, };

export type WarningKind = "at_sea" | "off_network" | "no_unit_reaches" | "last_unit_on_island" | "no_return_before_last_sailing" | "over_target";

export type WarningParams = { call_sign?: string, 
/**
 * An island id (the incident's, the unit's, or the nearest one to a point at sea).
 */
island?: string, distance_m?: number, priority?: number, route_mode?: RouteMode, eta_min?: number, target_min?: number, 
/**
 * Local "HH:MM" the unit is assumed to clear.
 */
cleared_at?: string, 
/**
 * Local "MM-DD HH:MM" it is back on its island; absent when it cannot get back at all.
 */
back_at?: string, };
