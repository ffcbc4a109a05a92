import { invoke } from '@tauri-apps/api/core';
import type { CoreError, MapView } from './types';

/** Turn whatever a rejected `invoke` gave us into the core's `{kind, message}` shape. */
export function toCoreError(e: unknown): CoreError {
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const o = e as { kind: unknown; message: unknown; minutes?: unknown; field?: unknown };
    const err: CoreError = { kind: String(o.kind), message: String(o.message) };
    if (typeof o.minutes === 'number') err.minutes = o.minutes;
    if (typeof o.field === 'string') err.field = o.field;
    return err;
  }
  return { kind: 'ipc', message: e instanceof Error ? e.message : String(e) };
}

let sessionExpired: ((e: CoreError) => void) | undefined;

/** Called whenever any command answers `session_expired`: the core signed the operator out
 *  for being idle (the sign-in state listens, whichever screen made the call). */
export function onSessionExpired(handler: ((e: CoreError) => void) | undefined): void {
  sessionExpired = handler;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const err = toCoreError(e);
    if (err.kind === 'session_expired') sessionExpired?.(err);
    throw err;
  }
}

/** The whole map: region, islands, places, links and units. */
export const mapView = (): Promise<MapView> => call<MapView>('map_view');

/** The first screen is painted (timed by benches/startup; a no-op otherwise). */
export const startupPainted = (marks: Record<string, number>): Promise<void> => call('startup_painted', { marks });

// ---- Dispatch: every action below is journaled by the core. ----
import type { Board, IncidentType, Intake, Place, PreviewQuery, Recommendation } from './types';

export const searchPlaces = (query: string, limit = 8): Promise<Place[]> => call('search_places', { query, limit });
export const incidentTypes = (): Promise<IncidentType[]> => call('incident_types');
export const receiveIncident = (intake: Intake): Promise<number> => call('receive_incident', { intake });
export const recommend = (id: number): Promise<Recommendation> => call('recommend', { id });
/** The ranking for a call at another time (the desk's clock set); journals nothing. */
export const previewRecommendation = (query: PreviewQuery): Promise<Recommendation> =>
  call('preview_recommendation', { query });
export const assign = (id: number, unit: string, overrideReason: string | null): Promise<unknown> =>
  call('assign', { id, unit, overrideReason });
/** A carried row (issue #16): the crew and the police boat carrying it, both sent. */
export const assignCarried = (id: number, unit: string, carrier: string, overrideReason: string | null): Promise<unknown> =>
  call('assign_carried', { id, unit, carrier, overrideReason });
/** A call to one of the island's community responders, journaled on the incident. */
export const callResponder = (id: number, responder: string): Promise<unknown> => call('call_responder', { id, responder });
export const enRoute = (id: number): Promise<unknown> => call('en_route', { id });
export const onScene = (id: number): Promise<unknown> => call('on_scene', { id });
export const clearIncident = (id: number, outcome: string): Promise<unknown> => call('clear_incident', { id, outcome });
export const cancelIncident = (id: number, reason: string): Promise<unknown> => call('cancel_incident', { id, reason });
/** Polled every second; the core does not count it as the operator's activity. */
export const board = (): Promise<Board> => call('board');

// ---- Accounts and sign-in: the core checks roles; these only carry the calls. ----
import type { AccountRow, DeskSession, RefusedSignIn, Role, Session, SignInState, SignOutReason } from './types';

export const signInState = (): Promise<SignInState> => call('sign_in_state');
export const createFirstAdministrator = (username: string, password: string): Promise<Session> =>
  call('create_first_administrator', { username, password });
export const login = (username: string, password: string): Promise<Session> => call('login', { username, password });
export const logout = (reason: SignOutReason = 'signed_out'): Promise<void> => call('logout', { reason });
/** A key, click or wheel that called nothing else: the operator is still at the desk. */
export const stillHere = (): Promise<void> => call('still_here');
export const createAccount = (username: string, role: Role, password: string): Promise<void> =>
  call('create_account', { username, role, password });
export const listAccounts = (): Promise<AccountRow[]> => call('list_accounts');

// ---- Dispatcher: conditions and the incident detail. ----
import type { Conditions, ConditionsView, JournalEvent, ReassignOption } from './types';

export const conditions = (): Promise<ConditionsView> => call('conditions');
export const setConditions = (c: Conditions): Promise<ConditionsView> => call('set_conditions', { conditions: c });
export const timeline = (id: number): Promise<JournalEvent[]> => call('timeline', { id });
export const reassignOptions = (id: number): Promise<ReassignOption[]> => call('reassign_options', { id });
export const reassign = (id: number, unit: string, reason: string): Promise<unknown> => call('reassign', { id, unit, reason });
/** A carried reassign option: the crew `unit` carried by the police boat `carrier`, both sent (issue #16). */
export const reassignCarried = (id: number, unit: string, carrier: string, reason: string): Promise<unknown> =>
  call('reassign_carried', { id, unit, carrier, reason });
/** The carrying boat is back at its base (the dispatcher's word for its phone's `at_base`). */
export const boatBack = (id: number): Promise<unknown> => call('boat_back', { id });
export const addNote = (id: number, text: string): Promise<unknown> => call('add_note', { id, text });
export const setAccountDisabled = (username: string, disabled: boolean): Promise<void> =>
  call('set_account_disabled', { username, disabled });
export const resetPassword = (username: string, password: string): Promise<void> =>
  call('reset_password', { username, password });
/** Who was on the desk: sessions begun in [fromUtc, toUtc) (unix seconds); supervisors and leaders. */
export const deskSessions = (fromUtc: number, toUtc: number): Promise<DeskSession[]> =>
  call('desk_sessions', { fromUtc, toUtc });
export const refusedSignIns = (fromUtc: number, toUtc: number): Promise<RefusedSignIn[]> =>
  call('refused_sign_ins', { fromUtc, toUtc });
// ---- Shift planning (the patrol leader). A plan runs in the background; its progress
// arrives as `roster-plan` events (PLAN_EVENT) and `planStatus` collects the roster. ----
import type { DemandRequest, DemandView, ExportedFiles, PlanRequest, PlanState, PlanStatus, RosterSummary, RosterView } from './types';

export const PLAN_EVENT = 'roster-plan';
export const rosterDemand = (request: DemandRequest): Promise<DemandView> => call('roster_demand', { request });
export const startPlan = (request: PlanRequest): Promise<PlanStatus> => call('start_plan', { request });
export const stopPlan = (): Promise<void> => call('stop_plan');
export const planStatus = (): Promise<PlanState> => call('plan_status');
export const sessionRosters = (): Promise<RosterSummary[]> => call('session_rosters');
export const rosterView = (id: number): Promise<RosterView> => call('roster_view', { id });
export const exportRoster = (id: number): Promise<ExportedFiles> => call('export_roster', { id });
export const publishRoster = (id: number): Promise<RosterSummary> => call('publish_roster', { id });
import type { IslandReach, ReachComparison, ReachCompareRequest, ReachRequest, WhatIf, WhatIfRequest } from './types';
export const whatIf = (request: WhatIfRequest): Promise<WhatIf> => call('what_if', { request });
/** Every inhabited island by its best police ETA at a moment and under conditions (issue #16). */
export const reach = (request: ReachRequest): Promise<IslandReach[]> => call('reach', { request });
export const reachCompare = (request: ReachCompareRequest): Promise<ReachComparison> => call('reach_compare', { request });

// ---- Region editor (administrators): saved edits are validated by the core's loader. ----
import type { RegionEdit, RegionEditorView, RegionSave } from './types';
export const regionEditor = (): Promise<RegionEditorView> => call('region_editor');
export const editRegion = (edit: RegionEdit): Promise<RegionSave> => call('edit_region', { edit });

// ---- Supervisor: dashboard, exports (journaled by the core), audit. ----
import type { AuditReport, Dashboard, ExportedFile, ReportFormat, ReportQuery } from './types';

export const supervisorDashboard = (query: ReportQuery): Promise<Dashboard> => call('supervisor_dashboard', { query });
export const exportReport = (query: ReportQuery, by: string[], format: ReportFormat): Promise<ExportedFile> =>
  call('export_report', { query, by, format });
export const exportJournal = (): Promise<ExportedFile> => call('export_journal');
export const exportFolder = (): Promise<string> => call('export_folder');
export const auditJournal = (): Promise<AuditReport> => call('audit_journal');

// ---- The status board's thresholds: anyone signed in reads them; supervisors set them
// (journaled by the core, which checks every field). ----
import type { BoardThresholds, BoardThresholdsView } from './types';
export const boardThresholds = (): Promise<BoardThresholdsView> => call('board_thresholds');
export const setBoardThresholds = (thresholds: BoardThresholds): Promise<BoardThresholdsView> =>
  call('set_board_thresholds', { thresholds });

// ---- Citizens' tips and crews' positions: a seat on the command-centre service only. A
// desk on its own journal refuses the tips' calls (the panel says where tips arrive
// without asking) and has no fixes. ----
import type { MapFix, PoliceLine, QueuedTip, TipIncident, TipKpis, TipPhoto, TipStep, Track } from './types';
/** Re-read on every journal change and every few seconds. */
export const tipsQueue = (closedSince: number | null = null): Promise<QueuedTip[]> => call('tips_queue', { closedSince });
export const tipPhoto = (id: number): Promise<TipPhoto> => call('tip_photo', { id });
export const tipToIncident = (id: number, ask: TipIncident): Promise<TipStep> => call('tip_to_incident', { id, ask });
export const tipPassOn = (id: number, to: PoliceLine, note: string): Promise<TipStep> => call('tip_pass_on', { id, to, note });
export const tipClose = (id: number, reply: string): Promise<TipStep> => call('tip_close', { id, reply });
export const tipKpis = (from: number, to: number): Promise<TipKpis> => call('tip_kpis', { from, to });
/** Polled every few seconds by the map on a seat on the service. */
export const unitFixes = (): Promise<MapFix[]> => call('unit_fixes');
export const unitTrack = (unit: string, from: number, to: number): Promise<Track> => call('unit_track', { unit, from, to });
