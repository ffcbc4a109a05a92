// The JSON shapes the core sends over IPC (snake_case keys). Most are generated from the
// Rust types by ts-rs into ./bindings.ts (a core test fails when they drift); this file
// re-exports them under the names the UI uses and adds the few shapes that are not Rust
// types of the core (the GeoJSON islands, the intake form, the error).

import type { MapView as GeneratedMapView } from './bindings';

export type {
  AccountRow,
  Ack,
  Board,
  BoardIncident,
  BoardUnit,
  Bounds,
  CallSource,
  Candidate,
  Conditions,
  Confidence,
  DeskSession,
  DispatchPlan,
  Event,
  EventBody,
  Excluded,
  IncidentType,
  Leg,
  LegMode,
  Location,
  PlaceKind,
  PublishedRoster,
  Recommendation,
  Role,
  RouteMode,
  Scenario,
  Session,
  SignOutReason,
  SimReport,
  SimRow,
  TimerLevel,
  UnitKind,
  UnitStatus,
  Warning,
  WarningKind,
  WarningParams,
  ClosedBy,
  ClosedLink,
  ConditionsView,
  ReassignOption,
} from './bindings';
export type {
  RegionHeader as RegionInfo,
  MapPlace as Place,
  MapRoad as Road,
  MapLink as Bridge,
  MapFerry as FerryRoute,
  MapUnit as Unit,
  Place as RegionPlace,
  SignIn as SignInState,
} from './bindings';
import type { CallSource, Confidence, Role, SimReport } from './bindings';

export type MapView = GeneratedMapView;
export type LonLat = [number, number];

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


/** `tidewatch::Error` as it crosses IPC (serialised by hand in the core). */
export interface CoreError {
  kind: string;
  message: string;
}

/** The intake form (`IntakeArgs` in the shell). */
export interface Intake {
  incident_type: string;
  priority: number | null;
  lon: number;
  lat: number;
  source: CallSource;
  text: string;
}

export type IncidentStateName = 'received' | 'dispatched' | 'en_route' | 'on_scene' | 'cleared' | 'cancelled';

export const ROLES: Role[] = ['dispatcher', 'patrol_leader', 'supervisor', 'administrator'];

/** A journal event as the incident timeline reads it: the generated `Event` with its body
 * kept open (`body.kind` says which), so a kind added to the core later still shows. */
export interface JournalEvent {
  seq: number;
  incident_id: number | null;
  at_utc: number;
  recorded_utc: number;
  operator: string;
  body: { kind: string; [field: string]: unknown };
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
// ---- Region editor (administrators): generated from the core (`region::edit`,
// `workstation::RegionEditorView`), under the editor's names. ----
export type {
  Place as EditorPlace,
  Bridge as EditorBridge,
  FerryRouteTimetables as EditorFerryRoute,
  LinkStatus,
  Timetable,
  RegionEditorView,
  RegionEdit,
  EditProblem,
  RegionSave,
} from './bindings';
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
