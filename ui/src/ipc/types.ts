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
  PlannedKind,
  PlannedTask,
  PlanExecution,
  Bounds,
  CallSource,
  Candidate,
  StartFrom,
  Conditions,
  Confidence,
  DeskSession,
  RefusedSignIn,
  SignInFailure,
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
  Responder,
  ResponderTask,
  Role,
  RouteMode,
  ScenarioName,
  ScenarioSetup,
  Session,
  SignOutReason,
  SimReport,
  SimRow,
  IslandPeriod,
  IslandPeriodRow,
  ShareBand,
  TimerLevel,
  UnitKind,
  UnitStatus,
  Warning,
  MapFix,
  Track,
  TrackIncident,
  TrackPoint,
  PoliceLine,
  QueuedTip,
  TipFigures,
  TipIncident,
  TipKpis,
  TipPhoto,
  TipStep,
  WarningKind,
  EstimatedData,
  WarningParams,
  ClosedBy,
  ClosedLink,
  ConditionsView,
  PreviewQuery,
  ReassignOption,
  BoardMode,
  Limits,
  ModeThresholds,
  ModeTable,
  Thresholds as BoardThresholds,
  BoardThresholdsView,
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
  ServiceSeat,
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
  /** `session_expired`: the idle timeout; `sign_in_locked`: how long the name stays locked. */
  minutes?: number;
  /** `invalid_input`: the field the core refused (e.g. `received.p1`). */
  field?: string;
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

export const ROLES: Role[] = ['dispatcher', 'patrol_leader', 'supervisor', 'administrator', 'crew'];

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

// ---- Shift planning (the patrol leader's screen): generated from the core
// (`roster::*`, `workstation::leader::*`). ----
export type {
  Season,
  FloorPolicy,
  DemandRequest,
  PlanRequest,
  HourNeed,
  HourDemand,
  IslandDemand,
  DayInfo,
  DemandNotes,
  DemandView,
  MipProgress,
  MipStatus,
  PlanProgress,
  PlanStatus,
  PlanState,
  RosterSummary,
  RosterOfficer,
  Assignment,
  ShiftTemplate,
  Roster,
  Coverage,
  Fairness,
  IslandReport,
  RosterReport,
  HourCover,
  IslandHours,
  Violation,
  RosterView,
  ExportedFiles,
  WhatIfRequest,
  WhatIfSide,
  WhatIf,
  ReachRequest,
  IslandReach,
  ReachMode,
  ReachBand,
  ReachChange,
  UnitMove,
  ReachSide,
  ReachCompareRequest,
  ReachComparison,
} from './bindings';

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
// ---- Supervisor: the dashboard and exports, generated from the core
// (`report::dashboard`, `workstation::supervisor`). ----
export type {
  Stats,
  GroupRow,
  Histogram,
  HeatCell,
  TypeChange,
  JointWorkTotals,
  Kpis,
  OverrideView,
  Label,
  Labels,
  ScopeView,
  Dashboard,
  ReportQuery,
  ReportFormat,
  ExportedFile,
  AuditReport,
  Target as ResponseTarget,
} from './bindings';
