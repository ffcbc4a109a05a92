//! The desk's routes (issue #13's contract: what a remote desk calls, each returning what
//! the local `Workstation` method returns), merged into `api::router`. Each handler is a
//! line over one call of the facade (`desk.rs`, `accounts.rs`).

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use tidewatch_core::dispatch::{Board, Recommendation, Thresholds};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::route::Conditions;
use tidewatch_journal::{AccountRow, Ack, Event};
use tidewatch_workstation::{BoardThresholdsView, ConditionsView, PreviewQuery, ReassignOption};

use crate::accounts::{DisabledBody, FirstAdministratorBody, NewAccountBody, PasswordBody, SignInState};
use crate::body::JsonBody;
use crate::desk::{
    CancelBody, CarriedBody, ClearBody, DispatchBody, IntakeBody, NoteBody, ReassignBody, Received, ResponderCallBody, Step,
};
use crate::error::ApiError;
use crate::operator::Operator;
use crate::{Service, SessionView, SignedIn};

type App = State<Arc<Service>>;
type Answer<T> = Result<Json<T>, ApiError>;

pub fn router() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/sign-in-state", get(sign_in_state))
        .route("/api/first-administrator", post(first_administrator))
        .route("/api/session", get(session))
        .route("/api/desk/board", get(desk_board))
        .route("/api/incidents", post(receive))
        .route("/api/incidents/{id}/recommendation", get(recommend))
        .route("/api/preview", post(preview))
        .route("/api/incidents/{id}/dispatch", post(dispatch))
        .route("/api/incidents/{id}/dispatch-carried", post(dispatch_carried))
        .route("/api/incidents/{id}/responder-call", post(call_responder))
        .route("/api/incidents/{id}/en-route", post(en_route))
        .route("/api/incidents/{id}/on-scene", post(on_scene))
        .route("/api/incidents/{id}/boat-back", post(boat_back))
        .route("/api/incidents/{id}/clear", post(clear))
        .route("/api/incidents/{id}/cancel", post(cancel))
        .route("/api/incidents/{id}/note", post(note))
        .route("/api/incidents/{id}/timeline", get(timeline))
        .route("/api/incidents/{id}/reassign-options", get(reassign_options))
        .route("/api/incidents/{id}/reassign", post(reassign))
        .route("/api/conditions", get(conditions).put(set_conditions))
        .route("/api/board-thresholds", get(board_thresholds).put(set_board_thresholds))
        .route("/api/accounts", get(accounts).post(create_account))
        .route("/api/accounts/{name}/disabled", post(set_account_disabled))
        .route("/api/accounts/{name}/password", post(reset_password))
}

/// The incident `{id}` of the path; anything but a number is refused 400 naming `id`.
pub struct Incident(pub IncidentId);

impl<S: Send + Sync> FromRequestParts<S> for Incident {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Incident, ApiError> {
        let Path(id) = Path::<i64>::from_request_parts(parts, state).await.map_err(|e| ApiError::bad_field("id", e.body_text()))?;
        Ok(Incident(IncidentId(id)))
    }
}

/// The account `{name}` of the path.
pub struct Account(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Account {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Account, ApiError> {
        let Path(name) =
            Path::<String>::from_request_parts(parts, state).await.map_err(|e| ApiError::bad_field("username", e.body_text()))?;
        Ok(Account(name))
    }
}

async fn sign_in_state(State(s): App) -> Answer<SignInState> {
    s.sign_in_state().await.map(Json)
}

async fn first_administrator(State(s): App, JsonBody(b): JsonBody<FirstAdministratorBody>) -> Answer<SignedIn> {
    s.first_administrator(b).await.map(Json)
}

async fn session(op: Operator) -> Json<SessionView> {
    Json(SessionView { session: op.session, seat: op.seat })
}

async fn desk_board(State(s): App, op: Operator) -> Answer<Board> {
    s.desk_board(&op.session, &op.seat).await.map(Json)
}

async fn receive(State(s): App, op: Operator, JsonBody(b): JsonBody<IntakeBody>) -> Result<(StatusCode, Json<Received>), ApiError> {
    s.receive(&op.session, b).await.map(|r| (StatusCode::CREATED, Json(r)))
}

async fn recommend(State(s): App, op: Operator, Incident(id): Incident) -> Answer<Recommendation> {
    s.recommend(&op.session, id).await.map(Json)
}

async fn preview(State(s): App, op: Operator, JsonBody(q): JsonBody<PreviewQuery>) -> Answer<Recommendation> {
    s.preview(&op.session, q).await.map(Json)
}

async fn dispatch(State(s): App, op: Operator, Incident(id): Incident, JsonBody(b): JsonBody<DispatchBody>) -> Answer<Ack> {
    s.dispatch(&op.session, &op.seat, id, b).await.map(Json)
}

async fn dispatch_carried(State(s): App, op: Operator, Incident(id): Incident, JsonBody(b): JsonBody<CarriedBody>) -> Answer<Ack> {
    s.dispatch_carried(&op.session, &op.seat, id, b).await.map(Json)
}

async fn call_responder(State(s): App, op: Operator, Incident(id): Incident, JsonBody(b): JsonBody<ResponderCallBody>) -> Answer<Ack> {
    s.call_responder(&op.session, &op.seat, id, b).await.map(Json)
}

async fn en_route(State(s): App, op: Operator, Incident(id): Incident) -> Answer<Ack> {
    s.step(&op.session, &op.seat, id, Step::EnRoute).await.map(Json)
}

async fn on_scene(State(s): App, op: Operator, Incident(id): Incident) -> Answer<Ack> {
    s.step(&op.session, &op.seat, id, Step::OnScene).await.map(Json)
}

async fn boat_back(State(s): App, op: Operator, Incident(id): Incident) -> Answer<Ack> {
    s.step(&op.session, &op.seat, id, Step::BoatBack).await.map(Json)
}

async fn clear(State(s): App, op: Operator, Incident(id): Incident, JsonBody(b): JsonBody<ClearBody>) -> Answer<Ack> {
    s.clear(&op.session, &op.seat, id, b).await.map(Json)
}

async fn cancel(State(s): App, op: Operator, Incident(id): Incident, JsonBody(b): JsonBody<CancelBody>) -> Answer<Ack> {
    s.cancel(&op.session, &op.seat, id, b).await.map(Json)
}

async fn note(State(s): App, op: Operator, Incident(id): Incident, JsonBody(b): JsonBody<NoteBody>) -> Answer<Ack> {
    s.note(&op.session, &op.seat, id, b).await.map(Json)
}

async fn timeline(State(s): App, op: Operator, Incident(id): Incident) -> Answer<Vec<Event>> {
    s.timeline(&op.session, id).await.map(Json)
}

async fn reassign_options(State(s): App, op: Operator, Incident(id): Incident) -> Answer<Vec<ReassignOption>> {
    s.reassign_options(&op.session, id).await.map(Json)
}

async fn reassign(State(s): App, op: Operator, Incident(id): Incident, JsonBody(b): JsonBody<ReassignBody>) -> Answer<Ack> {
    s.reassign(&op.session, &op.seat, id, b).await.map(Json)
}

async fn conditions(State(s): App, op: Operator) -> Answer<ConditionsView> {
    s.conditions(&op.session).await.map(Json)
}

async fn set_conditions(State(s): App, op: Operator, JsonBody(c): JsonBody<Conditions>) -> Answer<ConditionsView> {
    s.set_conditions(&op.session, &op.seat, c).await.map(Json)
}

async fn board_thresholds(State(s): App, op: Operator) -> Answer<BoardThresholdsView> {
    s.board_thresholds(&op.session).await.map(Json)
}

async fn set_board_thresholds(State(s): App, op: Operator, JsonBody(t): JsonBody<Thresholds>) -> Answer<BoardThresholdsView> {
    s.set_board_thresholds(&op.session, &op.seat, t).await.map(Json)
}

async fn accounts(State(s): App, op: Operator) -> Answer<Vec<AccountRow>> {
    s.accounts(&op.session).await.map(Json)
}

async fn create_account(State(s): App, op: Operator, JsonBody(b): JsonBody<NewAccountBody>) -> Result<StatusCode, ApiError> {
    s.create_account(&op.session, b).await.map(|()| StatusCode::NO_CONTENT)
}

async fn set_account_disabled(
    State(s): App,
    op: Operator,
    Account(name): Account,
    JsonBody(b): JsonBody<DisabledBody>,
) -> Result<StatusCode, ApiError> {
    s.set_account_disabled(&op.session, name, b.disabled).await.map(|()| StatusCode::NO_CONTENT)
}

async fn reset_password(
    State(s): App,
    op: Operator,
    Account(name): Account,
    JsonBody(b): JsonBody<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    s.reset_password(&op.session, name, b.password).await.map(|()| StatusCode::NO_CONTENT)
}
