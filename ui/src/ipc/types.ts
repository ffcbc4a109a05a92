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
  SimReport,
  SimRow,
  TimerLevel,
  UnitKind,
  UnitStatus,
  Warning,
  WarningKind,
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

// ---- Region editor (administrators) ----

/** A place as the editor sees it (the pack's row). */
export interface EditorPlace {
  id: string;
  kind: string;
  name_zh: string;
  name_en: string;
  pinyin: string;
  lon: number;
  lat: number;
  island: string;
  source: string;
  confidence: string;
}

/** `status` / `closed_reason`: closed in the pack itself (works, long suspensions). */
export interface EditorLinkStatus {
  status: 'open' | 'closed';
  closed_reason?: string;
}

export interface EditorBridge extends EditorLinkStatus {
  id: string;
  name_zh: string;
  name_en: string;
  from: string;
  to: string;
  source: string;
  confidence: string;
}

/** One route's departures from one pier on one day type (as the file writes it). */
export interface Timetable {
  from: string;
  day_type: 'weekday' | 'weekend' | 'holiday' | 'daily' | string;
  departures: string[];
}

export interface EditorFerryRoute extends EditorLinkStatus {
  id: string;
  name_zh: string;
  name_en: string;
  from: string;
  to: string;
  source: string;
  confidence: string;
  timetables: Timetable[];
}

export interface RegionEditorView {
  pack_dir: string;
  edited_copy: boolean;
  places: EditorPlace[];
  bridges: EditorBridge[];
  ferry_routes: EditorFerryRoute[];
}

export type RegionEdit =
  | { kind: 'move_place'; place: string; lon: number; lat: number }
  | { kind: 'rename_place'; place: string; name_zh: string; name_en: string }
  | { kind: 'set_timetable'; route: string; from: string; day_type: string; departures: string[] }
  | { kind: 'set_link_status'; link: string; closed: boolean; reason: string };

/** A loader error placed on the form: `field` (and `index` in a timetable), or the pack as a whole. */
export interface EditProblem {
  field: string | null;
  index: number | null;
  message: string;
  at: string;
}

export type RegionSave =
  | { outcome: 'saved'; seq: number; file: string; row: string; change: string }
  | { outcome: 'refused'; problems: EditProblem[] };
