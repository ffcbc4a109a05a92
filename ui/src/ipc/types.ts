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
