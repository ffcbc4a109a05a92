// The JSON shapes the core sends over IPC (`tidewatch::map::MapView`, snake_case keys).
// Hand-written until the core generates bindings (ts-rs).

export type Confidence = 'high' | 'medium' | 'low' | 'estimate';
export type LonLat = [number, number];

export interface Bounds {
  min_lon: number;
  max_lon: number;
  min_lat: number;
  max_lat: number;
}

export interface RegionInfo {
  id: string;
  name_zh: string;
  name_en: string;
  time_zone: string;
  attribution: string;
  bounds: Bounds;
}

export interface IslandProperties {
  id: string;
  name_zh: string;
  name_en: string;
  inhabited: boolean;
  in_district: boolean;
  population: number | null;
  confidence: Confidence | string;
  estimated: boolean;
}

export type Position = number[];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export interface IslandFeature {
  type: 'Feature';
  properties: IslandProperties;
  geometry: PolygonGeometry | MultiPolygonGeometry;
}
export interface IslandCollection {
  type: 'FeatureCollection';
  features: IslandFeature[];
}

export type PlaceKind =
  | 'station'
  | 'post'
  | 'traffic_squadron'
  | 'pier'
  | 'village'
  | 'town'
  | 'landmark'
  | 'bridge_end'
  | 'junction';

export interface Place {
  id: string;
  kind: PlaceKind | string;
  name_zh: string;
  name_en: string;
  pinyin: string;
  lon: number;
  lat: number;
  island: string;
  confidence: Confidence | string;
  estimated: boolean;
}

export interface Road {
  id: string;
  from: LonLat;
  to: LonLat;
  class: string;
  estimated: boolean;
}

export interface Bridge {
  id: string;
  name_zh: string;
  name_en: string;
  from: LonLat;
  to: LonLat;
  closed: boolean;
  estimated: boolean;
}

export interface FerryRoute {
  id: string;
  name_zh: string;
  name_en: string;
  vessel: string;
  from: LonLat;
  to: LonLat;
  suspended: boolean;
  estimated: boolean;
}

export type UnitKind = 'traffic' | 'station' | 'joint' | 'post' | 'boat';

export interface Unit {
  id: string;
  call_sign: string;
  kind: UnitKind | string;
  base: string;
  lon: number;
  lat: number;
  status: string;
}

export interface MapView {
  region: RegionInfo;
  islands: IslandCollection;
  places: Place[];
  roads: Road[];
  bridges: Bridge[];
  ferry_routes: FerryRoute[];
  units: Unit[];
  estimated_rows: number;
}

/** `tidewatch::Error` as it crosses IPC. */
export interface CoreError {
  kind: string;
  message: string;
}

// ---- Dispatch (`tidewatch::dispatch`): intake, recommendation, board. ----

export interface IncidentType {
  id: string;
  name_zh: string;
  name_en: string;
  unit_kinds: string[];
  default_priority: number;
}

export type CallSource = 'phone' | 'citizen_tip' | 'patrol';

export interface Intake {
  incident_type: string;
  priority: number | null;
  lon: number;
  lat: number;
  source: CallSource;
  text: string;
}

export type LegMode = 'drive' | 'wait' | 'ferry' | 'boat' | string;

export interface Leg {
  mode: LegMode;
  from: string;
  to: string;
  start: string;
  seconds: number;
  route?: string;
  bridges?: string[];
  path: LonLat[];
}

export interface Warning {
  kind: string;
  unit?: string;
  message: string;
}

export interface Candidate {
  unit: string;
  call_sign: string;
  kind: UnitKind | string;
  island: string;
  eta_s: number;
  route_mode: string;
  target_s: number | null;
  legs: Leg[];
  warnings: Warning[];
}

export interface Recommendation {
  incident_type: string;
  priority: number;
  candidates: Candidate[];
  warnings: Warning[];
}

export type TimerLevel = 'ok' | 'amber' | 'red';
export type IncidentStateName = 'received' | 'dispatched' | 'en_route' | 'on_scene' | 'cleared' | 'cancelled';

export interface BoardIncident {
  id: number;
  state: IncidentStateName | string;
  incident_type: string;
  priority: number;
  island: string | null;
  lon: number;
  lat: number;
  unit: string | null;
  since_s: number;
  level: TimerLevel;
  route_mode: string | null;
  eta_s: number | null;
}

export interface BoardUnit {
  unit: string;
  call_sign: string;
  kind: string;
  status: string;
  island: string;
  lon: number;
  lat: number;
  incident: number | null;
  since_s: number | null;
}

export interface Board {
  at: number;
  incidents: BoardIncident[];
  units: BoardUnit[];
}

// ---- Accounts and sign-in (`tidewatch::accounts`, `tidewatch::workstation::SignIn`). ----

export type Role = 'dispatcher' | 'patrol_leader' | 'supervisor' | 'administrator';
export const ROLES: Role[] = ['dispatcher', 'patrol_leader', 'supervisor', 'administrator'];

/** The signed-in operator. */
export interface Session {
  username: string;
  role: Role;
}

export interface SignInState {
  needs_first_administrator: boolean;
  session: Session | null;
}

export interface AccountRow {
  username: string;
  role: Role | string;
  created_utc: number;
  disabled: boolean;
}

// ---- Shift planning (the patrol leader's screen; `tidewatch::workstation::leader`). ----

export interface Season {
  name: string;
  from: string;
  /** Inclusive. */
  to: string;
  factor: number;
}

export interface DemandRequest {
  from: string;
  days: number;
  seasons: Season[];
}

export interface PlanRequest extends DemandRequest {
  time_limit_s: number;
}

export interface HourNeed {
  traffic: number;
  station: number;
  total: number;
  floor_traffic: number;
  floor_station: number;
}

export interface HourDemand {
  calls_traffic: number;
  calls_station: number;
  handling_traffic_min: number;
  handling_station_min: number;
  erlang_traffic: number;
  erlang_station: number;
  erlang_total: number;
  need: HourNeed;
}

export interface IslandDemand {
  island: string;
  name: string;
  outlying: boolean;
  covers: string[];
  hours: HourDemand[];
}

export interface DayInfo {
  date: string;
  day_type: 'weekday' | 'weekend' | 'holiday' | string;
  peak: boolean;
  season_factor: number;
  label: string | null;
}

export interface DemandNotes {
  history_from: string | null;
  history_to: string | null;
  calls_used: number;
  calls_skipped: number;
  calls_redirected: number;
  hub: string | null;
}

export interface DemandView {
  notes: DemandNotes;
  days: DayInfo[];
  islands: IslandDemand[];
  peak_factor: number;
  target_wait_probability: number;
  min_calls_per_hour: number;
  floor: { traffic: number; station: number; start_hour: number; end_hour: number };
}

export interface MipProgress {
  elapsed_s: number;
  incumbent: number | null;
  bound: number;
  gap: number | null;
  nodes: number;
}

export interface PlanProgress {
  part: string;
  index: number;
  parts: number;
  mip: MipProgress | null;
}

export interface PlanStatus {
  running: boolean;
  stopping: boolean;
  elapsed_s: number;
  time_limit_s: number;
  progress: PlanProgress | null;
  error: string | null;
}

export interface PlanState {
  status: PlanStatus | null;
  latest: number | null;
  error: string | null;
}

export interface RosterSummary {
  id: number;
  label: string;
  by: string;
  made_at: string;
  from: string;
  days: number;
  shifts: number;
  coverage_pct: number;
  stopped: boolean;
  /** The journal event that published it, once published. */
  published_seq: number | null;
}

export interface RosterOfficer {
  id: string;
  name: string;
  skills: 'traffic' | 'station' | 'both';
  home_island: string;
  unit: string | null;
  contract_hours_per_week: number;
}

export interface Assignment {
  officer: string;
  day: number;
  template: string;
  island: string;
  start: string;
  end: string;
}

export interface ShiftTemplate {
  id: string;
  start_hour: number;
  hours: number;
}

export interface Roster {
  region: string;
  time_zone: string;
  period: { from: string; days: number };
  days: DayInfo[];
  templates: ShiftTemplate[];
  officers: RosterOfficer[];
  demand: IslandDemand[];
  assignments: Assignment[];
}

export interface Coverage {
  hours: number;
  need_traffic: number;
  need_station: number;
  need_total: number;
  met_traffic: number;
  met_station: number;
  traffic_pct: number;
  station_pct: number;
  coverage_pct: number;
  under_hours: number;
  over_hours: number;
  on_duty_hours: number;
  floor_hours: number;
  floor_short_hours: number;
}

export interface Fairness {
  officers: number;
  hours_min: number;
  hours_max: number;
  hours_spread: number;
  nights_spread: number;
  holiday_shifts_spread: number;
}

export interface IslandReport {
  island: string;
  name: string;
  outlying: boolean;
  officers: number;
  all: Coverage;
  ordinary: Coverage;
  peak: Coverage;
  fairness: Fairness;
  borrowed_shifts: number;
}

export interface RosterReport {
  days: number;
  peak_days: number;
  officers: number;
  shifts: number;
  all: Coverage;
  ordinary: Coverage;
  peak: Coverage;
  overtime_hours: number;
  requests: number;
  requests_honoured: number;
  islands: IslandReport[];
  solver_status: string | null;
  objective: number | null;
  gap_pct: number | null;
  gap_part: string | null;
  solve_seconds: number | null;
}

export interface HourCover {
  on_traffic: number;
  on_station: number;
  on_total: number;
  need: HourNeed;
  under: number;
  floor_short: boolean;
}

export interface IslandHours {
  island: string;
  name: string;
  hours: HourCover[];
}

export interface Violation {
  rule: string;
  message: string;
}

export interface RosterView {
  summary: RosterSummary;
  roster: Roster;
  start_utc: string;
  report: RosterReport;
  hourly: IslandHours[];
  violations: Violation[];
}

export interface ExportedFiles {
  dir: string;
  xlsx: string;
  calendars_dir: string;
  calendars: number;
}

// ---- What-if (tidewatch::sim through the leader's workstation). ----

export type ScenarioName = 'normal' | 'typhoon' | 'bridge_closed' | 'holiday_surge';

export interface WhatIfRequest {
  a: number | null;
  b: number | null;
  scenario: ScenarioName;
  closed: string[];
}

export interface ResponseStats {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  max: number;
}

export interface SimRow {
  key: string;
  calls: number;
  response: ResponseStats | null;
  within_target: number | null;
}

export interface SimReport {
  scenario: { name: string; surge: number; conditions: { wind_force: number; closed: string[] } };
  roster_shifts: number | null;
  calls: number;
  reached: number;
  unreached: number;
  waited: number;
  overall: SimRow;
  by_priority_mode: SimRow[];
  by_island: SimRow[];
  by_route_mode: SimRow[];
  seconds: number;
  model: string;
}

export interface WhatIfSide {
  roster: number | null;
  label: string | null;
  report: SimReport;
}

export interface WhatIf {
  scenario: SimReport['scenario'];
  replay_from: string;
  replay_to: string;
  a: WhatIfSide;
  b: WhatIfSide;
}
