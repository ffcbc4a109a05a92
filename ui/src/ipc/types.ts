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

// ---- Supervisor: the dashboard and exports (src/report/dashboard.rs, src/workstation/supervisor.rs).

/** count, mean, p50, p90, max of durations in seconds. */
export interface Stats {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  max: number;
}

export interface GroupRow {
  key: string[];
  incidents: number;
  /** By segment: processing, turnout, travel, drive, ferry_wait, crossing, response, on_scene. */
  segments: Partial<Record<string, Stats>>;
  within_target: number | null;
  overrides: number;
}

export interface Histogram {
  bin_s: number;
  bins: number[];
  over: number;
  p50_s: number | null;
  p90_s: number | null;
}

export interface HeatCell {
  /** 0 = Monday. */
  weekday: number;
  hour: number;
  incidents: number;
  p90_s: number | null;
}

export interface TypeChange {
  incident_type: string;
  this_period: number;
  a_year_before: number;
  change: number | null;
}

export interface JointWorkTotals {
  checkpoints: number;
  vehicles_checked: number;
  violations: number;
  drunk_driving: number;
  patrol_hours: number;
  service_stalls: number;
  people_served: number;
  hazards_passed: number;
  tips_received: number;
  tips_closed: number;
  synthetic_rows: number;
}

export interface Kpis {
  from: string;
  to: string;
  synthetic: boolean;
  incidents: number;
  inhabited_islands: number;
  islands_with_zero_incidents: string[];
  zero_incident_share: number;
  by_type: TypeChange[];
  total_change: number | null;
  joint_work: JointWorkTotals;
  overrides: number;
}

export interface OverrideView {
  seq: number;
  incident_id: number;
  at_utc: number;
  at_local: string;
  incident_type: string;
  priority: number;
  island: string | null;
  recommended_unit: string | null;
  chosen_unit: string;
  rank: number | null;
  eta_s: number | null;
  reason: string | null;
  operator: string;
}

export interface Label {
  id: string;
  name_zh: string;
  name_en: string;
}

export interface ResponseTarget {
  priority: number;
  road: number;
  bridge: number;
  ferry: number;
}

export interface Dashboard {
  scope: { from: string; to: string; island: string | null; incident_type: string | null };
  time_zone: string;
  synthetic: boolean;
  journal: { incidents: number; first_utc: number | null; last_utc: number | null };
  journal_days: [string, string] | null;
  total: GroupRow;
  histogram: Histogram;
  by_island: GroupRow[];
  by_route_mode: GroupRow[];
  by_month: GroupRow[];
  by_priority_mode: GroupRow[];
  heatmap: HeatCell[];
  targets: ResponseTarget[];
  kpis: Kpis;
  overrides: OverrideView[];
  labels: { islands: Label[]; incident_types: Label[]; units: Label[] };
}

/** The dashboard's filters; empty dates mean the default period (the last recorded year). */
export interface ReportQuery {
  from?: string | null;
  to?: string | null;
  island?: string | null;
  incident_type?: string | null;
}

export type ReportFormat = 'csv' | 'xlsx';

export interface ExportedFile {
  path: string;
  bytes: number;
  events: number | null;
}

export interface AuditReport {
  events: number;
  ok: boolean;
  first_bad_seq: number | null;
  problem: string | null;
}
