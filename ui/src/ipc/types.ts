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
import type { CallSource, Confidence, Role } from './bindings';

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
