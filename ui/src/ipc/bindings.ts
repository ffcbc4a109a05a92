// Generated from the Rust core by ts-rs (tests/ts_bindings.rs); do not edit. After changing
// a type: UPDATE_BINDINGS=1 cargo test --release -p tidewatch --test ts_bindings

export type AccountRow = { username: string, role: string, created_utc: number, disabled: boolean, };

export type Ack = { seq: number, };

export type Assignment = { officer: OfficerId, 
/**
 * Day index in the period of the shift's start.
 */
day: number, template: string, 
/**
 * Where the shift is worked (the home island, or where a peak borrowed the officer).
 */
island: IslandId, start: string, end: string, };

export type AuditReport = { events: number, ok: boolean, 
/**
 * The first event whose stored hash, link or sequence is wrong (None when the fault
 * is in a read model or the accounts table: `problem` names the row).
 */
first_bad_seq: number | null, problem: string | null, 
/**
 * The newest event: write it down or seal it (`tidewatch audit seal`) to anchor the
 * chain outside the file.
 */
head?: ChainHead | null, 
/**
 * Checked against a seal: events written after the sealed one (the seal does not
 * vouch for them).
 */
after_seal?: number | null, };

export type Board = { at: number, incidents: Array<BoardIncident>, units: Array<BoardUnit>, };

export type BoardIncident = { id: IncidentId, state: IncidentState, incident_type: string, priority: number, island: string | null, lon: number, lat: number, unit: string | null, since_s: number, level: TimerLevel, route_mode: string | null, eta_s: number | null, 
/**
 * How the board judged the unit's way out (a boat, or the trip's route mode); none
 * before a unit is sent.
 */
board_mode: BoardMode | null, 
/**
 * When this state turns amber and red (seconds in the state), by the thresholds set.
 */
amber_s: number, red_s: number, 
/**
 * The police boat carrying `unit`'s crew across (issue #16), committed with it.
 */
carrier?: string, 
/**
 * The carrier's latest step reported from its crew's phone (`to_pickup`,
 * `crew_aboard`, `crew_landed`, `returning`, `at_base`); none before the first.
 */
carrier_step?: string, };

export type BoardMode = "road" | "bridge" | "ferry" | "boat";

export type BoardThresholdsView = { thresholds: Thresholds, 
/**
 * What a desk that never had them set uses.
 */
defaults: Thresholds, set_by: string | null, set_at: number | null, };

export type BoardUnit = { unit: string, call_sign: string, kind: UnitKind, status: UnitStatus, position: string, island: string, lon: number, lat: number, incident: IncidentId | null, since_s: number | null, 
/**
 * For a boat carrying a crew (issue #16): that crew's unit, on `incident`.
 */
carrying?: string, 
/**
 * Where the newest published patrol plan covering the moment wants the unit (issue
 * #18); none when no plan gives it anything now.
 */
planned?: PlannedTask, };

export type BoatFallback = "never" | "police_crew";

export type Bounds = { min_lon: number, max_lon: number, min_lat: number, max_lat: number, };

export type Bridge = { id: BridgeId, name_zh: string, name_en: string, from: PlaceId, to: PlaceId, class: string, length_m: number, time: number, 
/**
 * `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the source; `None`: unknown, and
 * then the bridge is taken as always open. See [`PartialDate::usable_from`].
 */
opened: string | null, close_wind_force: number | null, } & ({ "status": "open" } | { "status": "closed", closed_reason: string, }) & { source: string, confidence: Confidence, };

export type BridgeId = string;

export type CallSource = "phone" | "citizen_tip" | "patrol";

export type Candidate = { unit: string, call_sign: string, kind: UnitKind, 
/**
 * The island the unit is on now.
 */
island: string, eta_s: number, route_mode: RouteMode, target_s: number | null, legs: Array<Leg>, warnings: Array<Warning>, 
/**
 * The police boat that takes this unit's crew across (issue #16); both are sent.
 */
carrier?: CarriedBy, 
/**
 * Where the ETA starts: a fresh GPS fix, or the last known place.
 */
from: StartFrom, 
/**
 * The estimated data this ETA is built on (roads, timetable); empty: none.
 */
estimated?: Array<EstimatedData>, };

export type CarriedBy = { unit: string, call_sign: string, };

export type ChainHead = { seq: number, hash: string, };

export type CheckpointResultInput = { 
/**
 * The plan's `patrol_planned` seq; none: the newest plan holding the operation.
 */
plan: number | null, operation: string, held: boolean, vehicles_checked: number, 
/**
 * By kind: drunk_driving, unlicensed_driving, overloading, other.
 */
violations: { [key in string]?: number }, note: string, };

export type ClosedBy = { "by": "hand" } | { "by": "wind", force: number, limit: number, } | { "by": "visibility", visibility_m: number, limit_m: number, } | { "by": "pack" };

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

export type Coverage = { hours: number, 
/**
 * Officer-hours needed: traffic-capable, station-capable, in all.
 */
need_traffic: number, need_station: number, need_total: number, 
/**
 * Of those, met.
 */
met_traffic: number, met_station: number, traffic_pct: number, station_pct: number, 
/**
 * 100 × (1 − under-coverage / need in all).
 */
coverage_pct: number, 
/**
 * Officer-hours missing: per hour, the fewest extra officers of the right skills.
 */
under_hours: number, 
/**
 * Officer-hours on duty above the need.
 */
over_hours: number, on_duty_hours: number, 
/**
 * Hours with a minimum-presence floor, and those where it was not met.
 */
floor_hours: number, floor_short_hours: number, };

export type CrewActionKind = "acknowledged" | "en_route" | "on_scene" | "cleared" | "unable" | "note" | "photo" | "available" | "off_duty" | "returning" | "to_pickup" | "crew_aboard" | "crew_landed" | "at_base";

export type Dashboard = { scope: ScopeView, time_zone: string, 
/**
 * The journal holds synthetic (demo) history: the screen must say so.
 */
synthetic: boolean, 
/**
 * Incidents in the whole journal and when they span (empty journal: nothing to show).
 */
journal: IncidentSpan, 
/**
 * First and last day with an incident, local YYYY-MM-DD.
 */
journal_days: [string, string] | null, total: GroupRow, histogram: Histogram, by_island: Array<GroupRow>, by_route_mode: Array<GroupRow>, by_month: Array<GroupRow>, 
/**
 * Keyed (priority "P1".., route mode): the share within target per cell.
 */
by_priority_mode: Array<GroupRow>, heatmap: Array<HeatCell>, targets: Array<Target>, kpis: Kpis, overrides: Array<OverrideView>, labels: Labels, };

export type DayInfo = { date: string, day_type: "weekday" | "weekend" | "holiday", 
/**
 * Holiday, or a tourist season at or above the peak threshold.
 */
peak: boolean, 
/**
 * Season factor applied to the day's calls.
 */
season_factor: number, label: string | null, };

export type DemandNotes = { history_from: string | null, history_to: string | null, calls_used: number, 
/**
 * At sea, boat-only types, unknown types or islands, outside the window.
 */
calls_skipped: number, 
/**
 * Calls on islands without officers, counted on the island that covers them.
 */
calls_redirected: number, hub: IslandId | null, };

export type DemandRequest = { from: string, 
/**
 * 1–28.
 */
days: number, 
/**
 * Tourist seasons (a factor on every island's calls on their days); a factor at or
 * above the peak threshold makes the days peak days.
 */
seasons: Array<Season>, };

export type DemandView = { notes: DemandNotes, days: Array<DayInfo>, islands: Array<IslandDemand>, 
/**
 * The peak threshold on season factors, for the screen's explanation.
 */
peak_factor: number, target_wait_probability: number, 
/**
 * Below this many expected calls an hour no officer is needed for calls.
 */
min_calls_per_hour: number, floor: FloorPolicy, };

export type DeskSession = { username: string, role: string, signed_in_utc: number, 
/**
 * None while still signed in, or when the desk stopped without a sign-out.
 */
signed_out_utc: number | null, ended: SignOutReason | null, };

export type DispatchOverride = { 
/**
 * The `dispatched` event.
 */
seq: number, incident_id: IncidentId, 
/**
 * When the unit was sent (UTC unix seconds).
 */
at_utc: number, incident_type: string, priority: number, island: string | null, recommended_unit: string | null, chosen_unit: string, 
/**
 * 1-based rank of the chosen unit in the recommendation.
 */
rank: number | null, 
/**
 * The chosen unit's predicted arrival, seconds.
 */
eta_s: number | null, reason: string | null, operator: string, };

export type DispatchPlan = { recommended_unit: string | null, 
/**
 * The boat carrying the recommended unit's crew, when the recommended row was a
 * carried one (issue #16); absent otherwise, so older records' hashes still verify.
 */
recommended_carrier?: string, 
/**
 * 1-based rank of the chosen unit in the recommendation.
 */
rank: number | null, eta_s: number | null, route_mode: RouteModeRecord | null, drive_s: number, ferry_wait_s: number, crossing_s: number, 
/**
 * Where the unit's trip started (a GPS fix or its last known place); absent in
 * records written before positions, so their hashes still verify.
 */
from?: StartRecord, };

export type EditProblem = { 
/**
 * The pack column it is about (`lon`, `depart`, `closed_reason`, ...); `None` when it
 * is about the pack as a whole (e.g. a road graph the move disconnects).
 */
field: string | null, 
/**
 * For a timetable: which departure of the list.
 */
index: number | null, 
/**
 * In English; a UI words the problem in its own language from `kind` and `params`
 * when it knows the kind, and shows this with it.
 */
message: string, 
/**
 * Where the loader found it in the staged copy, `file:line`.
 */
at: string, 
/**
 * What the problem is, for those an edit can cause; `None` for any other loader error.
 */
kind: "not_a_number" | "outside_bounds" | "off_island" | "not_hhmm" | "listed_twice" | "name_empty" | "reason_missing" | "roads_disconnected" | null, params: { place?: string, island?: string, distance_m?: number, tolerance_m?: number, 
/**
 * The value as written (a coordinate, a departure time).
 */
value?: string, places?: Array<string>, }, };

export type EstimatedData = "roads" | "timetable";

export type Event = { seq: number, incident_id: IncidentId | null, 
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
node: string | null, source: CallSource, text: string, synthetic?: boolean, } | { "kind": "dispatched", unit: string, plan: DispatchPlan, override_reason: string | null, 
/**
 * The police boat that carries `unit`'s crew across (issue #16): sent with it,
 * claimed in the same transaction, freed with it. Left out when None, so
 * dispatches written before it hash the same.
 */
carrier?: string, } | { "kind": "en_route", unit: string, } | { "kind": "on_scene", unit: string, } | { "kind": "cleared", unit: string | null, outcome: string, } | { "kind": "cancelled", reason: string, } | { "kind": "unit_withdrawn", unit: string, reason: string, } | { "kind": "note", text: string, } | { "kind": "responder_called", responder: string, name: string, phone: string, } | { "kind": "correction", corrects_seq: number, field: string, value: string, reason: string, } | { "kind": "unit_status", unit: string, status: UnitStatusRecord, position: string, } | { "kind": "checkpoint", place: string, island: string | null, vehicles_checked: number, 
/**
 * Violations by kind, e.g. drunk_driving, unlicensed_driving, overloading.
 */
violations: { [key in string]?: number }, 
/**
 * An unannounced raid (突击清查), e.g. on an outlying island, not a set checkpoint.
 * Left out of the payload when false, so events written before it hash the same.
 */
surprise?: boolean, synthetic?: boolean, } | { "kind": "patrol", unit: string, island: string | null, hours: number, synthetic?: boolean, } | { "kind": "service_stall", place: string, island: string | null, people_served: number, elderly_served: number, synthetic?: boolean, } | { "kind": "hazard", island: string | null, found_by: PoliceLine, passed_to: PoliceLine, description: string, synthetic?: boolean, } | { "kind": "tip_received", island: string | null, text: string, synthetic?: boolean, 
/**
 * A tip from the public page (category, place, photo digest, receipt); None for
 * the desk's and the demo's, whose payloads then hash as before.
 */
tip?: TipRecord, } | { "kind": "tip_assigned", tip: number, unit: string, } | { "kind": "tip_closed", tip: number, outcome: string, } | { "kind": "account_created", username: string, role: string, 
/**
 * [`password_digest`] of the password hash the account row got, so the audit
 * catches a row whose hash no event set. Left out when None (events written
 * before it hash the same).
 */
password_sha256?: string, } | { "kind": "roster_published", 
/**
 * First day (local) and number of days.
 */
from: string, days: number, shifts: number, 
/**
 * Version 1 (the roster file as it was) or 2 (plain rows): see `records`.
 */
roster: unknown, } | { "kind": "patrol_planned", plan: PatrolPlanRecord, } | { "kind": "checkpoint_result", plan: number, operation: string, 
/**
 * The plan's site and island, copied so the record reads alone.
 */
site: string, island: string, held: boolean, vehicles_checked: number, 
/**
 * By kind: `patrol_record::VIOLATION_KINDS`.
 */
violations: { [key in string]?: number }, 
/**
 * Why it was not held, or anything to add. Left out when empty.
 */
note?: string, } | { "kind": "conditions_set", wind_force: number, visibility_m: number | null, 
/**
 * Bridge and ferry-route ids closed or suspended by hand.
 */
closed: Array<string>, } | { "kind": "board_thresholds_set", thresholds: ThresholdsRecord, } | { "kind": "region_edited", file: string, 
/**
 * The row's id (or, for a timetable, route, pier and day type).
 */
row: string, change: string, } | { "kind": "signed_in", role: string, } | { "kind": "signed_out", reason: SignOutReason, } | { "kind": "account_disabled", username: string, } | { "kind": "account_enabled", username: string, } | { "kind": "password_reset", username: string, password_sha256?: string, } | { "kind": "sign_in_failed", username: string, reason: SignInFailure, } | { "kind": "sign_in_locked", username: string, failures: number, until_utc: number, } | { "kind": "device_registered", device: number, unit: string, name: string, } | { "kind": "device_revoked", device: number, unit: string, } | { "kind": "journal_imported", file_sha256: string, events: number, rechained: string | null, } | { "kind": "tip_to_incident", tip: number, incident: number, } | { "kind": "tip_passed_on", tip: number, passed_to: PoliceLine, note: string, } | { "kind": "crew_action", unit: string, action: CrewActionKind, phone_utc?: number, photo?: PhotoRecord, };

export type Excluded = { ineligible: Array<string>, unavailable: Array<string>, unreachable: Array<string>, };

export type ExportedFile = { path: string, bytes: number, 
/**
 * Journal exports: how many events the file holds.
 */
events: number | null, };

export type ExportedFiles = { dir: string, xlsx: string, calendars_dir: string, calendars: number, };

export type Fairness = { officers: number, 
/**
 * Hours worked, normalised to a 40-hour contract: min, max, spread.
 */
hours_min: number, hours_max: number, hours_spread: number, nights_spread: number, holiday_shifts_spread: number, };

export type FerryRoute = { id: FerryRouteId, name_zh: string, name_en: string, from: PlaceId, to: PlaceId, vessel: VesselClass, crossing: number, stop_wind_force: number, stop_visibility_m: number, } & ({ "status": "open" } | { "status": "closed", closed_reason: string, }) & { source: string, confidence: Confidence, };

export type FerryRouteId = string;

export type FerryRouteTimetables = { timetables: Array<Timetable>, id: FerryRouteId, name_zh: string, name_en: string, from: PlaceId, to: PlaceId, vessel: VesselClass, crossing: number, stop_wind_force: number, stop_visibility_m: number, } & ({ "status": "open" } | { "status": "closed", closed_reason: string, }) & { source: string, confidence: Confidence, };

export type FixRecord = { lon: number, lat: number, fix_utc: number, age_s: number, 
/**
 * `osmand` or `owntracks`.
 */
source: string, };

export type FixSource = "osmand" | "owntracks";

export type FixUsed = { lon: number, lat: number, fix_utc: number, source: FixSource, 
/**
 * Seconds from the fix to the call (0 for a fix a little ahead).
 */
age_s: number, };

export type FloorPolicy = { traffic: number, station: number, 
/**
 * Service hours, local: `start_hour..end_hour` (end exclusive; 24 = midnight).
 */
start_hour: number, end_hour: number, };

export type GroupChange = { this_period: number, a_year_before: number, 
/**
 * (this − before) / before; `None` when there was none before.
 */
change: number | null, };

export type GroupRow = { 
/**
 * The group's values, in the order of `by`.
 */
key: Array<string>, incidents: number, segments: { [key in string]?: Stats }, 
/**
 * Share of incidents that reached the scene within the target for their priority
 * and route mode.
 */
within_target: number | null, 
/**
 * Dispatched to another unit than the recommended one.
 */
overrides: number, };

export type HeatCell = { 
/**
 * 0 = Monday.
 */
weekday: number, hour: number, incidents: number, p90_s: number | null, };

export type Histogram = { bin_s: number, bins: Array<number>, over: number, p50_s: number | null, p90_s: number | null, };

export type HourCover = { on_traffic: number, on_station: number, on_total: number, need: HourNeed, 
/**
 * The fewest extra officers of the right skills that would meet the need.
 */
under: number, floor_short: boolean, };

export type HourDemand = { 
/**
 * Expected calls per hour (after day-type, holiday and season scaling).
 */
calls_traffic: number, calls_station: number, 
/**
 * Mean time per call, minutes.
 */
handling_traffic_min: number, handling_station_min: number, 
/**
 * Erlang C: officers needed to keep P(wait) at or under the target.
 */
erlang_traffic: number, erlang_station: number, 
/**
 * Erlang C on both loads pooled (a `both` officer answers either kind of call).
 */
erlang_total: number, need: HourNeed, };

export type HourNeed = { 
/**
 * Traffic-capable officers needed (traffic or both).
 */
traffic: number, 
/**
 * Station-capable officers needed (station or both).
 */
station: number, 
/**
 * Officers needed in all (pooled demand; at least each skill's need).
 */
total: number, 
/**
 * Minimum presence: traffic-capable and station-capable officers (a `both`
 * officer satisfies both floors).
 */
floor_traffic: number, floor_station: number, };

export type IgnoredFix = "stale" | "future" | "at_sea" | "invalid";

export type IncidentId = number;

export type IncidentSpan = { incidents: number, first_utc: number | null, last_utc: number | null, };

export type IncidentState = "received" | "dispatched" | "en_route" | "on_scene" | "cleared" | "cancelled";

export type IncidentType = { id: IncidentTypeId, name_zh: string, name_en: string, unit_kinds: Array<UnitKind>, default_priority: number, 
/**
 * When a police boat may answer although `unit_kinds` does not list boats.
 */
boat_fallback: BoatFallback, };

export type IncidentTypeId = string;

export type IslandDemand = { island: IslandId, name: string, 
/**
 * Inhabited outlying island (gets the minimum-presence floor).
 */
outlying: boolean, 
/**
 * Other islands whose calls are counted here (no officers of their own).
 */
covers: Array<IslandId>, 
/**
 * One per hour of the period.
 */
hours: Array<HourDemand>, };

export type IslandHours = { island: IslandId, name: string, 
/**
 * One per hour of the period.
 */
hours: Array<HourCover>, };

export type IslandId = string;

export type IslandPeriod = { calls: number, p1_calls: number, 
/**
 * Calls no unit reached.
 */
unreached: number, 
/**
 * Of the calls with a target, the share reached within it (unreached: missed).
 */
within_share: number | null, 
/**
 * The same for the priority-1 calls.
 */
p1_within_share: number | null, 
/**
 * Call to scene of the calls reached, seconds.
 */
response: Stats | null, band: ShareBand, };

export type IslandPeriodRow = { island: string, a: IslandPeriod | null, b: IslandPeriod | null, 
/**
 * B's band differs from A's (both judged): the map rings the island.
 */
band_changed: boolean, };

export type IslandReach = { island: string, name_zh: string, name_en: string, 
/**
 * The place asked about.
 */
place: string, 
/**
 * `None`: no unit reaches under these conditions.
 */
eta_s: number | null, mode: ReachMode | null, unit: string | null, carrier?: string, target_s: number | null, within_target: boolean, band: ReachBand, };

export type IslandReport = { island: IslandId, name: string, outlying: boolean, officers: number, all: Coverage, ordinary: Coverage, peak: Coverage, ordinary_shape: Shape, peak_shape: Shape, fairness: Fairness, 
/**
 * Shifts worked here by officers of other islands (peak step).
 */
borrowed_shifts: number, };

export type JointWorkTotals = { checkpoints: number, vehicles_checked: number, violations: number, drunk_driving: number, patrol_hours: number, service_stalls: number, people_served: number, hazards_passed: number, tips_received: number, tips_closed: number, synthetic_rows: number, 
/**
 * Checkpoints that were unannounced raids (also counted in `checkpoints`).
 */
surprise_raids: number, 
/**
 * Elderly people among `people_served` at service stalls.
 */
elderly_served: number, 
/**
 * Distinct places (villages) where a service stall stood.
 */
stall_places: number, 
/**
 * Hazards found by the stations and passed to the traffic police (traffic hazards).
 */
hazards_to_traffic: number, 
/**
 * Hazards found by the traffic police and passed to the stations (public-order hazards).
 */
hazards_to_stations: number, };

export type Kpis = { from: string, to: string, synthetic: boolean, incidents: number, inhabited_islands: number, islands_with_zero_incidents: Array<string>, zero_incident_share: number, 
/**
 * The islands the crime-free share counts (the pack's `[kpi] islands`).
 */
kpi_islands: number, 
/**
 * Those of them with no incident of a `[kpi] crime_types` type in the period.
 */
crime_free_islands: Array<string>, crime_free_share: number, 
/**
 * The pack's `[kpi] traffic_types` together.
 */
traffic: GroupChange, 
/**
 * The pack's `[kpi] ordinary_traffic_accident_types` together.
 */
ordinary_traffic_accidents: GroupChange, by_type: Array<TypeChange>, total_change: number | null, joint_work: JointWorkTotals, overrides: number, 
/**
 * Checkpoint and raid operations of published patrol plans held / planned (issue
 * #18); none when no plan had an operation in the period.
 */
plan_executed?: PlanExecution, };

export type Label = { id: string, name_zh: string, name_en: string, };

export type Labels = { 
/**
 * The district's islands, for the filter and the by-island chart.
 */
islands: Array<Label>, incident_types: Array<Label>, 
/**
 * Unit id → call sign.
 */
units: Array<Label>, };

export type LabourRules = { max_hours_per_day: number, max_hours_per_week: number, 
/**
 * Between the end of one shift and the start of the next.
 */
min_rest_hours: number, max_consecutive_days: number, 
/**
 * Days without a shift start in each full week (a shorter last block: pro rata, rounded down).
 */
min_days_off_per_week: number, 
/**
 * Whole weekends (Saturday and Sunday) off per 4 weeks (pro rata, rounded down).
 */
min_weekends_off_per_4_weeks: number, 
/**
 * Contract hours per week for officers without their own figure; above it is overtime.
 */
contract_hours_per_week: number, };

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

export type LegMode = "drive" | "wait" | "ferry" | "boat" | "walk";

export type Limits = { amber_s: number, red_s: number, };

export type LimitsRecord = { amber_s: number, red_s: number, };

export type LinkKind = "bridge" | "ferry";

export type LinkStatus = { "status": "open" } | { "status": "closed", closed_reason: string, };

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

export type MapFix = { unit: UnitId, lon: number, lat: number, fix_utc: number, 
/**
 * Seconds between the fix and the service's now.
 */
age_s: number, source: FixSource, 
/**
 * Older than its source's freshness limit.
 */
stale: boolean, 
/**
 * On the water (a boat, or a car on a ferry).
 */
afloat: boolean, };

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

export type MipProgress = { elapsed_s: number, 
/**
 * Best solution's objective so far (`None` before the first one).
 */
incumbent: number | null, 
/**
 * Proven lower bound (minimisation).
 */
bound: number, 
/**
 * Relative gap as HiGHS reports it (`None` without an incumbent).
 */
gap: number | null, nodes: number, };

export type MipStatus = "optimal" | "time_limit" | "stopped";

export type ModeRecord = { turnout: LimitsRecord, en_route_red_pct: number, };

export type ModeTable = { road: ModeThresholds, bridge: ModeThresholds, ferry: ModeThresholds, boat: ModeThresholds, };

export type ModeTableRecord = { road: ModeRecord, bridge: ModeRecord, ferry: ModeRecord, boat: ModeRecord, };

export type ModeThresholds = { 
/**
 * Dispatched → en route: the crew getting under way. The board uses the longer of
 * this and the priority's `dispatched` allowance.
 */
turnout: Limits, 
/**
 * En route turns amber at 100 % of the trip's own ETA and red at this percentage.
 */
en_route_red_pct: number, };

export type OfficerId = string;

export type OfficerReport = { officer: OfficerId, name: string, home_island: IslandId, shifts: number, hours: number, 
/**
 * Contract hours over the period.
 */
contract_hours: number, overtime_hours: number, nights: number, holiday_shifts: number, lent_shifts: number, requests: number, requests_honoured: number, };

export type OperationRecord = { 
/**
 * `date/slot/team`: unique in a plan (one operation a team a slot) and the same in a
 * re-published plan when the operation did not change, so results follow it.
 */
id: string, date: string, 
/**
 * Local `HH:MM-HH:MM`.
 */
slot: string, start_utc: number, end_utc: number, 
/**
 * `checkpoint` or `raid`.
 */
kind: string, 
/**
 * `routine`, `peak` or `drunk_driving`.
 */
purpose: string, team: string, site: string, island: string, name_zh: string, name_en: string, 
/**
 * Minutes away before the slot and back after it.
 */
travel_min: number, back_min: number, };

export type OverrideView = { 
/**
 * "YYYY-MM-DD HH:MM" in the region's zone.
 */
at_local: string, 
/**
 * The `dispatched` event.
 */
seq: number, incident_id: IncidentId, 
/**
 * When the unit was sent (UTC unix seconds).
 */
at_utc: number, incident_type: string, priority: number, island: string | null, recommended_unit: string | null, chosen_unit: string, 
/**
 * 1-based rank of the chosen unit in the recommendation.
 */
rank: number | null, 
/**
 * The chosen unit's predicted arrival, seconds.
 */
eta_s: number | null, reason: string | null, operator: string, };

export type PartFigure = { part: string, status: MipStatus | null, objective: number, bound: number, gap_pct: number, seconds: number, };

export type PartSolve = { 
/**
 * `district start` and `district` (the whole district as one model), or, island by
 * island: `<island>`, `<island> week <n>`, `peak` or `<island> overtime`.
 */
part: string, officers: number, variables: number, 
/**
 * `None` when the solver did not run (nothing to decide, or stopped before it; the
 * part then kept the greedy choice).
 */
status: MipStatus | null, 
/**
 * The part's own objective (its weights; see docs/roster.md) and the solver's bound.
 */
objective: number, bound: number, seconds: number, };

export type PatrolPlanRecord = { region: string, 
/**
 * First local day and number of days the plan covers: the newest plan covering a
 * moment is the one the desk follows then.
 */
from: string, days: number, 
/**
 * The checkpoint planner's seed (the draw among equally good sites and teams).
 */
seed: number, operations: Array<OperationRecord>, visits: Array<VisitListRecord>, standby: Array<StandbyRecord>, };

export type Period = { from: string, days: number, };

export type PhotoRecord = { 
/**
 * Lower-case hex SHA-256 of the bytes as received.
 */
sha256: string, bytes: number, 
/**
 * `image/jpeg`, `image/png` or `image/webp`.
 */
media_type: string, };

export type Place = { id: PlaceId, kind: PlaceKind, name_zh: string, name_en: string, pinyin: string, lon: number, lat: number, island: IslandId, source: string, confidence: Confidence, };

export type PlaceId = string;

export type PlaceKind = "station" | "post" | "traffic_squadron" | "pier" | "village" | "town" | "landmark" | "bridge_end" | "junction";

export type PlanExecution = { planned: number, held: number, 
/**
 * Recorded as not held.
 */
not_held: number, 
/**
 * Planned with no result recorded (yet).
 */
unrecorded: number, 
/**
 * held / planned; none when nothing was planned.
 */
executed_share: number | null, vehicles_checked: number, 
/**
 * By kind (drunk_driving, unlicensed_driving, overloading, other).
 */
violations: { [key in string]?: number }, };

export type PlanProgress = { 
/**
 * Island id or `peak`.
 */
part: string, 
/**
 * 1-based index of the part, and how many there are.
 */
index: number, parts: number, mip: MipProgress | null, };

export type PlanRequest = { time_limit_s: number, from: string, 
/**
 * 1–28.
 */
days: number, 
/**
 * Tourist seasons (a factor on every island's calls on their days); a factor at or
 * above the peak threshold makes the days peak days.
 */
seasons: Array<Season>, };

export type PlanState = { status: PlanStatus | null, latest: number | null, 
/**
 * Why the last plan failed.
 */
error: string | null, };

export type PlanStatus = { running: boolean, 
/**
 * The solve was asked to stop (it ends with the best roster so far).
 */
stopping: boolean, elapsed_s: number, time_limit_s: number, 
/**
 * The latest progress report (part, incumbent, bound, gap).
 */
progress: PlanProgress | null, 
/**
 * Why the plan failed, once it has.
 */
error: string | null, };

export type PlannedKind = "checkpoint" | "raid" | "patrol_stop" | "to_stop";

export type PlannedTask = { 
/**
 * The plan's `patrol_planned` event.
 */
plan: number, kind: PlannedKind, place: string, name_zh: string, name_en: string, island: string, 
/**
 * The slot or the stop (UTC seconds).
 */
from_utc: number, to_utc: number, 
/**
 * The operation's id, for a checkpoint or raid (its result is recorded against it).
 */
operation?: string, 
/**
 * The stop's number (from 1) and the list's length, for a visit.
 */
stop?: number, stops?: number, };

export type PoliceLine = "traffic" | "station";

export type PreviewQuery = { at: number, lon: number, lat: number, incident_type: string, priority: number | null, };

export type Provenance = { source: string, confidence: Confidence, };

export type PublishedPatrol = { 
/**
 * The journal event that published it.
 */
seq: number, published_at: number, published_by: string, from: string, days: number, operations: number, visit_lists: number, standby_windows: number, };

export type PublishedRoster = { 
/**
 * The journal event that published it.
 */
seq: number, published_at: number, published_by: string, from: string, days: number, shifts: number, };

export type QueuedTip = { id: number, 
/**
 * Its `tip_received` event.
 */
seq: number | null, receipt: string, received_utc: number, 
/**
 * `hazard`, `traffic_jam`, `accident`, `public_order` or `other`.
 */
category: string, island: string | null, place: string | null, lon: number | null, lat: number | null, 
/**
 * Where the position came from: `phone`, `photo`, `place`, `island`.
 */
position_from: string, 
/**
 * The tipper's text: shown as text, never as markup.
 */
text: string, phone: string | null, 
/**
 * `GET /api/tips/{id}/photo`, when it has one.
 */
photo_url: string | null, 
/**
 * The first tip of its group (itself when it is the first).
 */
group_id: number, 
/**
 * How many tips the group has (1: no duplicate).
 */
group_size: number, 
/**
 * `received`, `handling` or `closed`.
 */
state: string, incident_id: number | null, passed_to: string | null, handled_by: string | null, handled_utc: number | null, closed_by: string | null, closed_utc: number | null, reply: string | null, };

export type ReachBand = "within" | "twice" | "beyond" | "unreachable";

export type ReachChange = { island: string, before: ReachBand, after: ReachBand, before_eta_s: number | null, after_eta_s: number | null, 
/**
 * The scenario reaches it in a better band.
 */
better: boolean, };

export type ReachCompareRequest = { 
/**
 * As [`ReachRequest::at`].
 */
at: string, priority: number, baseline: ReachSide, scenario: ReachSide, };

export type ReachComparison = { baseline: Array<IslandReach>, scenario: Array<IslandReach>, 
/**
 * The islands whose band the scenario changes.
 */
changed: Array<ReachChange>, };

export type ReachMode = "road" | "bridge" | "ferry" | "boat" | "carried";

export type ReachRequest = { 
/**
 * RFC 3339 ("2026-10-14T02:00:00+08:00"), or a local time in the region's zone
 * ("2026-10-14T02:00", as a date-time field gives it).
 */
at: string, priority: number, conditions: Conditions, 
/**
 * A roster of this session: only the units it has on duty then answer; None: every
 * unit, at its base.
 */
roster: number | null, 
/**
 * Units stationed elsewhere than their base (the what-if's moves); none by default.
 */
moves?: Array<UnitMove>, };

export type ReachSide = { conditions: Conditions, roster: number | null, moves: Array<UnitMove>, };

export type ReassignOption = { status: UnitStatus, 
/**
 * The incident a busy unit would be taken off.
 */
incident: IncidentId | null, unit: string, call_sign: string, kind: UnitKind, 
/**
 * The island the unit is on now.
 */
island: string, eta_s: number, route_mode: RouteMode, target_s: number | null, legs: Array<Leg>, warnings: Array<Warning>, 
/**
 * The police boat that takes this unit's crew across (issue #16); both are sent.
 */
carrier?: CarriedBy, 
/**
 * Where the ETA starts: a fresh GPS fix, or the last known place.
 */
from: StartFrom, 
/**
 * The estimated data this ETA is built on (roads, timetable); empty: none.
 */
estimated?: Array<EstimatedData>, };

export type Recommendation = { location: Location, incident_type: string, priority: number, candidates: Array<Candidate>, excluded: Excluded, warnings: Array<Warning>, 
/**
 * Community responders on the island, to call first: no police unit arrives within
 * target (issue #16). Never counted as a police arrival.
 */
responders?: Array<Responder>, };

export type RefusedSignIn = { at_utc: number, 
/**
 * The name as typed (it may name no account).
 */
username: string, 
/**
 * Why it was refused; a lock-out is `locked` with `locked_until_utc`.
 */
reason: SignInFailure, 
/**
 * Set on the lock-out itself: the name is refused until then.
 */
locked_until_utc: number | null, };

export type RegionEdit = { "kind": "move_place", place: string, lon: number, lat: number, } | { "kind": "rename_place", place: string, name_zh: string, name_en: string, } | { "kind": "set_timetable", route: string, from: string, day_type: string, departures: Array<string>, } | { "kind": "set_link_status", link: string, closed: boolean, reason: string, };

export type RegionEditorView = { 
/**
 * The pack folder the desk runs on.
 */
pack_dir: string, 
/**
 * Whether that is the desk's own edited copy (else the first save makes one).
 */
edited_copy: boolean, places: Array<Place>, bridges: Array<Bridge>, ferry_routes: Array<FerryRouteTimetables>, };

export type RegionHeader = { id: string, name_zh: string, name_en: string, time_zone: string, attribution: string, bounds: Bounds, };

export type RegionSave = { "outcome": "saved", seq: number, file: string, row: string, change: string, } | { "outcome": "refused", problems: Array<EditProblem>, };

export type ReportFormat = "csv" | "xlsx";

export type ReportQuery = { 
/**
 * First day, local YYYY-MM-DD.
 */
from?: string | null, 
/**
 * Last day (inclusive), local YYYY-MM-DD.
 */
to?: string | null, island?: string | null, incident_type?: string | null, };

export type RequestKind = "on" | "off";

export type Responder = { id: string, island: string, 
/**
 * A name, or a role where the pack keeps no names ("大猫岛村综治干部").
 */
name: string, role: string, phone: string, may: Array<ResponderTask>, };

export type ResponderTask = "look" | "calm" | "first_aid";

export type Role = "dispatcher" | "patrol_leader" | "supervisor" | "administrator" | "crew";

export type Roster = { format: number, region: string, time_zone: string, period: Period, days: Array<DayInfo>, rules: LabourRules, templates: Array<ShiftTemplate>, officers: Array<RosterOfficer>, demand: Array<IslandDemand>, assignments: Array<Assignment>, solve: SolveInfo | null, };

export type RosterOfficer = { id: OfficerId, name: string, skills: SkillSet, home_island: IslandId, unit: UnitId | null, contract_hours_per_week: number, 
/**
 * Fixed days off (hard): no shift starts on them.
 */
days_off: Array<string>, requests: Array<ShiftRequest>, };

export type RosterReport = { region: string, from: string, days: number, peak_days: number, officers: number, shifts: number, all: Coverage, ordinary: Coverage, peak: Coverage, overtime_hours: number, requests: number, requests_honoured: number, islands: Array<IslandReport>, officer_figures: Array<OfficerReport>, 
/**
 * Solver status, objective and the largest gap of a part to the solver's bound
 * (absent for a hand-made roster); every part's figures in `solve_parts`.
 */
solver_status: MipStatus | null, objective: number | null, gap_pct: number | null, gap_part: string | null, solve_seconds: number | null, solve_parts: Array<PartFigure>, };

export type RosterSummary = { id: number, label: string, 
/**
 * Who planned it.
 */
by: string, made_at: string, from: string, days: number, shifts: number, coverage_pct: number, 
/**
 * The solve was stopped before its time limit.
 */
stopped: boolean, 
/**
 * Set once the roster is published to dispatch (the journal event's sequence number).
 */
published_seq: number | null, };

export type RosterView = { summary: RosterSummary, roster: Roster, 
/**
 * The period's first hour (local midnight of `from`) in UTC: hour `h` of the
 * timeline starts `h` hours later.
 */
start_utc: string, report: RosterReport, hourly: Array<IslandHours>, 
/**
 * Hard-rule violations found by the independent checker (empty for a sound roster).
 */
violations: Array<Violation>, };

export type RouteMode = "road" | "bridge" | "ferry";

export type RouteModeRecord = "road" | "bridge" | "ferry";

export type ScenarioName = "normal" | "typhoon" | "holiday_surge" | "bridge_closed";

export type ScenarioSetup = { name: ScenarioName, conditions: Conditions, 
/**
 * Calls × this factor (1.0: as recorded); extra calls are copies of recorded ones,
 * a few minutes later, chosen deterministically.
 */
surge: number, 
/**
 * Call to unit on its way (taking the call, dispatching, turning out), seconds.
 */
turnout_s: number, };

export type ScopeView = { 
/**
 * First day, local, YYYY-MM-DD.
 */
from: string, 
/**
 * Last day (inclusive), local, YYYY-MM-DD.
 */
to: string, island: string | null, incident_type: string | null, };

export type Season = { name: string, from: string, 
/**
 * Inclusive.
 */
to: string, 
/**
 * Multiplies every island's calls on these days.
 */
factor: number, };

export type Seconds = number;

export type ServiceSeat = { 
/**
 * The service's address (`https://host:port`).
 */
url: string, 
/**
 * `centre`, `traffic` or `station:<place id>`: the one signed in at, else the one asked for.
 */
seat: string, };

export type Session = { username: string, role: Role, };

export type Shape = { days: number, 
/**
 * Mean number of distinct start hours per day (days with shifts).
 */
distinct_starts: number, 
/**
 * Mean of the day's largest number of officers on duty at once.
 */
peak_on_duty: number, 
/**
 * Mean officer-hours on duty per day.
 */
officer_hours: number, 
/**
 * Mean hours per day with two or more shifts overlapping.
 */
overlap_hours: number, };

export type ShareBand = "good" | "fair" | "poor" | "unjudged";

export type ShiftRequest = { date: string, kind: RequestKind, 
/**
 * A template id, or any shift of the day.
 */
template: string | null, weight: number, };

export type ShiftTemplate = { id: string, 
/**
 * Local start hour, 0–23.
 */
start_hour: number, 
/**
 * Length in hours.
 */
hours: number, };

export type SignIn = { needs_first_administrator: boolean, session: Session | null, 
/**
 * The operator the desk last signed out for doing nothing, until someone signs in (the
 * sign-in screen says so, and offers the name again).
 */
idle_signed_out: string | null, 
/**
 * How long an operator may do nothing before the desk signs them out, in minutes.
 */
idle_minutes: number, 
/**
 * The command-centre service this desk is a seat on; none for a desk on its own journal.
 */
service: ServiceSeat | null, };

export type SignInFailure = "unknown_account" | "wrong_password" | "account_disabled" | "locked";

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

export type SimModel = "fastest_free_from_base";

export type SimReport = { scenario: ScenarioSetup, 
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
waited: number, 
/**
 * Calls reached by a land crew carried across by a police boat (issue #16).
 */
carried: number, overall: SimRow, 
/**
 * By priority and route mode (`P1 road`, ...).
 */
by_priority_mode: Array<SimRow>, by_island: Array<SimRow>, by_route_mode: Array<SimRow>, seconds: number, 
/**
 * The model in English; a UI words it in its own language from `model_kind` and
 * falls back to this (as warnings do).
 */
model: string, model_kind: SimModel, };

export type SimRow = { key: string, calls: number, 
/**
 * Call to scene, seconds.
 */
response: Stats | null, within_target: number | null, };

export type SkillSet = "traffic" | "station" | "both";

export type SolveInfo = { 
/**
 * The worst part's status: optimal only when every part is.
 */
status: MipStatus, 
/**
 * The whole roster's objective under `weights`.
 */
objective: number, 
/**
 * The relative gap to the bound, and of which part: the whole district's (its LP
 * relaxation; 100 % while that has not finished) or, planned island by island, the
 * largest of any part (each part is within its gap of its own optimum given the
 * parts before it).
 */
gap: number, gap_part: string | null, seconds: number, parts: Array<PartSolve>, 
/**
 * Objective weights used (see docs/roster.md).
 */
weights: Weights, };

export type StandbyRecord = { date: string, 
/**
 * Local `HH:MM-HH:MM`.
 */
window: string, start_utc: number, end_utc: number, sites: Array<string>, covered: number, };

export type StartBasis = "gps" | "last_known";

export type StartFrom = { basis: StartBasis, 
/**
 * The place (road node) the unit starts from: the snapped one, the pier it arrives at
 * when afloat, or its last known place.
 */
place: string, place_zh: string, place_en: string, 
/**
 * The fix, when the unit had one (used or not), with its age at the call's time.
 */
fix?: FixUsed, ignored?: IgnoredFix, 
/**
 * Metres from the fix to `place` (GPS only).
 */
snap_m?: number, 
/**
 * On the water: a boat at sea, or a land unit on a ferry arriving at `place`.
 */
afloat: boolean, ferry_route?: string, };

export type StartRecord = { 
/**
 * `gps` or `last_known`.
 */
basis: string, 
/**
 * The place (road node) the trip was routed from.
 */
place: string, fix?: FixRecord, 
/**
 * Why the fix was not used: `stale`, `future`, `at_sea`, `invalid`.
 */
ignored?: string, afloat?: boolean, ferry_route?: string, };

export type Stats = { count: number, mean: number, p50: number, p90: number, max: number, };

export type StopRecord = { place: string, name_zh: string, name_en: string, island: string, arrive_utc: number, leave_utc: number, };

export type Target = { priority: number, road: Seconds, bridge: Seconds, ferry: Seconds, };

export type Thresholds = { 
/**
 * received → dispatched, by priority.
 */
received: [Limits, Limits, Limits, Limits], 
/**
 * dispatched → en route, by priority (the route mode's turnout may allow longer).
 */
dispatched: [Limits, Limits, Limits, Limits], 
/**
 * on scene → cleared, by priority.
 */
on_scene: [Limits, Limits, Limits, Limits], route_modes: ModeTable, };

export type ThresholdsRecord = { received: [LimitsRecord, LimitsRecord, LimitsRecord, LimitsRecord], dispatched: [LimitsRecord, LimitsRecord, LimitsRecord, LimitsRecord], on_scene: [LimitsRecord, LimitsRecord, LimitsRecord, LimitsRecord], route_modes: ModeTableRecord, };

export type TimerLevel = "ok" | "amber" | "red";

export type Timetable = { from: string, day_type: string, departures: Array<string>, };

export type TipFigures = { 
/**
 * The island, the category, or `all`.
 */
key: string, received: number, closed: number, 
/**
 * Median seconds from receipt to closing, of the tips closed.
 */
median_close_s: number | null, };

export type TipIncident = { incident_type: string, priority: number | null, lon: number | null, lat: number | null, text: string | null, };

export type TipKpis = { from_utc: number, to_utc: number, all: TipFigures, by_island: Array<TipFigures>, by_category: Array<TipFigures>, };

export type TipPhoto = { data_url: string, };

export type TipRecord = { 
/**
 * The code the tipper was given to look the tip up by.
 */
receipt: string, 
/**
 * `hazard`, `traffic_jam`, `accident`, `public_order` or `other`.
 */
category: string, lon: number | null, lat: number | null, 
/**
 * The gazetteer place the tipper picked, when they picked one.
 */
place: string | null, 
/**
 * Where the position came from: `phone` (the browser's), `photo` (its EXIF, read only
 * with the tipper's leave), `place` (the gazetteer), or `none`.
 */
position_from: string, 
/**
 * SHA-256 (hex) of the stored photo (the re-encoded one, the only one kept).
 */
photo_sha256: string | null, has_phone: boolean, 
/**
 * The tip (its `tip_received` seq) this one was grouped with: same place and category
 * within minutes.
 */
grouped_with: number | null, };

export type TipStep = { 
/**
 * The tips of the group the step was journaled for.
 */
tips: Array<number>, 
/**
 * The seq of the last event.
 */
seq: number, 
/**
 * The incident made (make incident).
 */
incident_id: IncidentId | null, };

export type Track = { unit: UnitId, from_utc: number, to_utc: number, 
/**
 * Its crew's fixes in time order (the refused ones were never stored).
 */
points: Array<TrackPoint>, 
/**
 * The period had more fixes than one answer carries: these are the first; ask for a
 * shorter period.
 */
truncated: boolean, incidents: Array<TrackIncident>, };

export type TrackIncident = { id: number, incident_type: string, priority: number, lon: number, lat: number, dispatched_utc: number | null, on_scene_utc: number | null, closed_utc: number | null, carried: boolean, };

export type TrackPoint = { fix_utc: number, lon: number, lat: number, speed_kmh: number | null, 
/**
 * On the water (a boat, or a car on a ferry).
 */
afloat: boolean, 
/**
 * Whether the ETA could start from it (else flagged: a jump, a car at sea…).
 */
usable: boolean, };

export type TypeChange = { incident_type: string, this_period: number, a_year_before: number, 
/**
 * (this − before) / before; `None` when there was none before.
 */
change: number | null, };

export type UnitId = string;

export type UnitKind = "traffic" | "station" | "joint" | "post" | "boat";

export type UnitMove = { unit: string, place: string, };

export type UnitStatus = "available" | "dispatched" | "en_route" | "on_scene" | "off_duty";

export type UnitStatusRecord = "available" | "dispatched" | "en_route" | "on_scene" | "off_duty";

export type VesselClass = "high_speed" | "ordinary" | "car_ferry";

export type Violation = { officer: OfficerId | null, 
/**
 * `file`, `officer`, `island`, `template`, `period`, `day_off`, `hours_per_day`,
 * `one_shift_a_day`, `rest`, `hours_per_week`, `days_off_per_week`,
 * `consecutive_days`, `weekends_off`.
 */
rule: string, message: string, };

export type VisitListRecord = { team: string, date: string, 
/**
 * Local `HH:MM-HH:MM`.
 */
shift: string, seed: number, start_utc: number, end_utc: number, stops: Array<StopRecord>, back_utc: number, };

export type Warning = { kind: WarningKind, unit?: string, 
/**
 * In English; a UI words the warning in its own language from `kind` and `params`
 * and falls back to this.
 */
message: string, params: WarningParams, };

export type WarningKind = "at_sea" | "off_network" | "no_unit_reaches" | "last_unit_on_island" | "no_return_before_last_sailing" | "over_target" | "carried_return";

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
 * For a carried crew: when its boat is free again, having brought it back.
 */
back_at?: string, 
/**
 * The boat carrying the crew (its call sign).
 */
carrier?: string, 
/**
 * Local "MM-DD HH:MM" of the crew's own way back (the first sailing) after clearing;
 * absent when there is none in the next days.
 */
sailing_at?: string, 
/**
 * A carried crew comes back its own way (its first sailing gets it home no later than
 * the boat would): the boat sails to base straight after landing it.
 */
own_way?: boolean, };

export type Weights = { 
/**
 * Per officer-hour below the minimum-presence floor.
 */
floor: number, 
/**
 * Per officer-hour of under-coverage.
 */
under: number, 
/**
 * Per hour of overtime (above contract hours, per week).
 */
overtime: number, 
/**
 * Per hour of spread (max − min) of contract-normalised hours within an island.
 */
hours_spread: number, 
/**
 * Per night shift of spread within an island.
 */
nights_spread: number, 
/**
 * Per holiday shift of spread within an island.
 */
holiday_spread: number, 
/**
 * Per unit of request weight not honoured.
 */
request: number, 
/**
 * Per officer-hour above the need (keeps idle shifts out of ordinary days).
 */
over: number, 
/**
 * Per shift worked away from the home island.
 */
lend: number, };

export type WhatIf = { scenario: ScenarioSetup, 
/**
 * The replayed calls: received in `[replay_from, replay_to)` (local dates).
 */
replay_from: string, replay_to: string, a: WhatIfSide, b: WhatIfSide, 
/**
 * The period's reach per island, A beside B (issue #16): the what-if's period map.
 */
islands: Array<IslandPeriodRow>, };

export type WhatIfRequest = { 
/**
 * A session roster, or `None` for every unit always on duty.
 */
a: number | null, b: number | null, 
/**
 * `normal`, `typhoon` (ferries and boats stopped), `holiday_surge` or `bridge_closed`.
 */
scenario: string, 
/**
 * Bridges or ferry routes closed (required for `bridge_closed`).
 */
closed: Array<string>, };

export type WhatIfSide = { roster: number | null, label: string | null, report: SimReport, };
