//! The API described as OpenAPI 3.1, served at `GET /api/openapi.json` (with a session,
//! like everything but health).
//!
//! Written by hand beside the router rather than derived by macros over every handler and
//! journal type; the tests below keep the two in step: every route of `api::router` is
//! described with its methods and nothing else is, and the error schema is what
//! [`ApiError`] serialises to.

use serde_json::{json, Value};

mod desk;

#[cfg(doc)]
use crate::error::ApiError;

/// A JSON response with schema `schema`.
fn json_body(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn error_ref(description: &str) -> Value {
    json_body(description, json!({ "$ref": "#/components/schemas/Error" }))
}

/// The answers every route with a session may give besides its own.
fn with_session(mut responses: Value) -> Value {
    responses["401"] = error_ref("no session, or it lapsed or was revoked (kind not_signed_in)");
    responses["503"] = error_ref("PostgreSQL is unreachable; retry (kind storage)");
    responses
}

fn get(summary: &str, parameters: Value, responses: Value) -> Value {
    json!({ "summary": summary, "security": [{ "session": [] }], "parameters": parameters, "responses": with_session(responses) })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

/// The whole document.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tidewatch command-centre service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Several desks on one journal in PostgreSQL. Sign in for a bearer token; \
                after a reconnect a desk asks for the events after the last seq it saw (docs/service.md)."
        },
        "paths": merged(paths(), [desk::paths(), crate::devices::paths(), crate::positions::paths(), crate::tips::paths(), crate::crew_routes::paths(), crate::reports::paths(), crate::leader::paths(), crate::region_edits::paths()]),
        "components": components(),
    })
}

/// `paths` with the routes other modules describe beside their own routers.
fn merged(mut paths: Value, more: impl IntoIterator<Item = Value>) -> Value {
    for m in more {
        if let (Some(all), Value::Object(m)) = (paths.as_object_mut(), m) {
            all.extend(m);
        }
    }
    paths
}

fn paths() -> Value {
    let seq = json!({ "type": "integer", "format": "int64", "minimum": 0 });
    let own = json!({
        "/api/health": { "get": {
            "summary": "Whether the service is up (no session needed)",
            "responses": { "200": json_body("up", json!({ "type": "object", "properties": { "ok": { "type": "boolean" } } })) }
        }},
        "/api/sign-in": { "post": {
            "summary": "Sign in at a seat: the password is checked by the service (argon2id); rate-limited per name and per address; \
                a wrong name or password is 400 invalid_input (the same answer for both)",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SignIn" } } } },
            "responses": {
                "200": json_body("signed in", json!({ "$ref": "#/components/schemas/SignedIn" })),
                "400": error_ref("a field missing, of the wrong type, unknown or too long (field names it)"),
                "413": error_ref("body over the size limit"),
                "429": error_ref("too many sign-ins with this name or from this address, or the name is locked (kind sign_in_locked, minutes)"),
                "503": error_ref("PostgreSQL is unreachable; retry"),
            }
        }},
        "/api/sign-out": { "post": {
            "summary": "End this session (revoked for every service process at once)",
            "security": [{ "session": [] }],
            "responses": with_session(json!({ "204": { "description": "signed out" } }))
        }},
        "/api/head": { "get": get(
            "The chain head: a desk checks the chain still extends the head it last saw",
            json!([]),
            json!({ "200": json_body("the head, null while the journal is empty",
                json!({ "oneOf": [{ "$ref": "#/components/schemas/ChainHead" }, { "type": "null" }] })) })
        )},
        "/api/board": { "get": get(
            "Open incidents and every unit's latest status, with the head they were read at",
            json!([]),
            json!({ "200": json_body("the board", json!({ "$ref": "#/components/schemas/Board" })) })
        )},
        "/api/events": { "get": get(
            "Events after a seq, in order (a desk catching up)",
            json!([
                query("after", "the last seq the desk has (default 0)", seq.clone()),
                query("limit", "at most this many (1 to 1000, default 1000)", json!({ "type": "integer", "minimum": 1, "maximum": 1000 })),
            ]),
            json!({
                "200": json_body("the events", json!({ "type": "array", "items": { "$ref": "#/components/schemas/Event" } })),
                "400": error_ref("after or limit out of range (field names it)"),
            })
        )},
        "/api/live": { "get": get(
            "WebSocket: {\"seq\": n} for every commit by any service process on the database (first the head, when past `after`); {\"fixes\": true} at most once a second when crews' phones reported (re-read /api/positions/map); {\"region\": v} when region edits up to version v are in force, and on connecting when any are stored (re-read /api/region/edits?known=)",
            json!([query("after", "the last seq the desk has", seq)]),
            json!({ "101": { "description": "switching to the WebSocket" } })
        )},
        "/api/incidents": { "post": {
            "summary": "Intake: a new call, through the desk's rules (the role may receive calls)",
            "security": [{ "session": [] }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Intake" } } } },
            "responses": with_session(json!({
                "201": json_body("received", json!({ "type": "object", "properties": { "incident_id": { "type": "integer" } } })),
                "400": error_ref("a field missing, of the wrong type, unknown or too long (field names it)"),
                "403": error_ref("the role may not receive calls"),
            }))
        }},
        "/api/incidents/{id}/dispatch": { "post": {
            "summary": "Dispatch a unit: the store claims the unit in the dispatch's transaction; a raced unit goes to one seat",
            "security": [{ "session": [] }],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Dispatch" } } } },
            "responses": with_session(json!({
                "200": json_body("dispatched", json!({ "$ref": "#/components/schemas/Ack" })),
                "400": error_ref("a field missing, of the wrong type, unknown or too long; or a reason needed"),
                "403": error_ref("the role may not dispatch, or the incident (or the busy unit's incident) is outside the seat's area"),
                "404": error_ref("no such incident or unit"),
                "409": error_ref("the unit is taken: the message names who holds it, for which incident, since when (kind unit_taken)"),
            }))
        }},
        "/api/openapi.json": { "get": get(
            "This document",
            json!([]),
            json!({ "200": json_body("OpenAPI 3.1", json!({ "type": "object" })) })
        )},
    });
    merged(own, [reach_paths()])
}

/// Issue #16's routes: a crew sent with the boat that carries it, the boat back, a responder called.
fn reach_paths() -> Value {
    json!({
        "/api/incidents/{id}/dispatch-carried": { "post": {
            "summary": "Dispatch a land crew carried across by a police boat (issue #16): both units claimed in one transaction, the pairing journaled",
            "security": [{ "session": [] }],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DispatchCarried" } } } },
            "responses": with_session(json!({
                "200": json_body("dispatched", json!({ "$ref": "#/components/schemas/Ack" })),
                "400": error_ref("a field missing, of the wrong type, unknown or too long; not a boat; or a reason needed"),
                "403": error_ref("the role may not dispatch, or the incident is outside the seat's area"),
                "404": error_ref("no such incident or unit"),
                "409": error_ref("the crew or the boat is busy or was taken: the message names which unit, who holds it, since when"),
            }))
        }},
        "/api/incidents/{id}/boat-back": { "post": {
            "summary": "The boat carrying the incident's crew is back at its base (the dispatcher's word for the boat's `at_base` step, issue #16): the boat is free again, the crew stays on the incident",
            "security": [{ "session": [] }],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }],
            "responses": with_session(json!({
                "200": json_body("the boat freed", json!({ "$ref": "#/components/schemas/Ack" })),
                "400": error_ref("no boat carries this incident's crew, or the boat is already back"),
                "403": error_ref("the role may not dispatch, or the incident is outside the seat's area"),
                "404": error_ref("no such incident"),
            }))
        }},
        "/api/incidents/{id}/responder-call": { "post": {
            "summary": "Journal a call to one of the island's community responders about the incident (issue #16); no unit is sent",
            "security": [{ "session": [] }],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "additionalProperties": false, "required": ["responder"],
                "properties": { "responder": { "type": "string", "maxLength": crate::MAX_ID } }
            } } } },
            "responses": with_session(json!({
                "200": json_body("journaled", json!({ "$ref": "#/components/schemas/Ack" })),
                "400": error_ref("a field missing or too long; the responder is not on the incident's island; the incident is closed"),
                "403": error_ref("the role may not dispatch, or the incident is outside the seat's area"),
                "404": error_ref("no such incident or responder"),
            }))
        }},
    })
}

fn components() -> Value {
    let text = |max: u32| json!({ "type": "string", "maxLength": max });
    let mut doc = json!({
        "securitySchemes": {
            "session": { "type": "http", "scheme": "bearer", "description": "the token from /api/sign-in (64 hex digits)" }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "description": "tidewatch_core::Error's own serialisation (what the desk's UI gets)",
                "required": ["kind", "message"],
                "properties": {
                    "kind": { "type": "string", "description": "tidewatch_core::Error::kind: invalid_input, unknown, unit_unavailable, unit_taken, \
                        forbidden, not_signed_in, session_expired, sign_in_locked, storage, io, pack, solver" },
                    "message": { "type": "string" },
                    "field": { "type": "string", "description": "the input at fault (invalid_input)" },
                    "minutes": { "type": "integer", "description": "how long to wait (sign_in_locked) or how long idle (session_expired)" }
                }
            },
            "SignIn": {
                "type": "object",
                "additionalProperties": false,
                "required": ["username", "password"],
                "properties": {
                    "username": text(crate::MAX_USERNAME as u32),
                    "password": text(crate::MAX_PASSWORD as u32),
                    "seat": { "$ref": "#/components/schemas/Seat" }
                }
            },
            "Intake": {
                "type": "object",
                "additionalProperties": false,
                "required": ["incident_type", "lon", "lat", "source"],
                "properties": {
                    "incident_type": text(crate::MAX_ID as u32),
                    "priority": { "type": ["integer", "null"], "minimum": 1, "maximum": 4 },
                    "lon": { "type": "number" },
                    "lat": { "type": "number" },
                    "source": { "type": "string", "enum": ["phone", "citizen_tip", "patrol"] },
                    "text": text(crate::MAX_TEXT as u32)
                }
            },
            "Dispatch": {
                "type": "object",
                "additionalProperties": false,
                "required": ["unit"],
                "properties": {
                    "unit": text(crate::MAX_ID as u32),
                    "override_reason": { "type": ["string", "null"], "maxLength": crate::MAX_REASON, "description": "when not the recommended unit" },
                    "reassign_reason": { "type": ["string", "null"], "maxLength": crate::MAX_REASON, "description": "when the unit is busy on another incident" }
                }
            },
            "DispatchCarried": {
                "type": "object",
                "additionalProperties": false,
                "required": ["unit", "carrier"],
                "properties": {
                    "unit": text(crate::MAX_ID as u32),
                    "carrier": text(crate::MAX_ID as u32),
                    "override_reason": { "type": ["string", "null"], "maxLength": crate::MAX_REASON, "description": "when not the recommendation's first row" }
                }
            },
            "SignedIn": {
                "type": "object",
                "properties": {
                    "token": { "type": "string", "description": "shown once; the service keeps only its SHA-256" },
                    "username": { "type": "string" },
                    "role": { "type": "string" },
                    "idle_timeout_s": { "type": "integer" },
                    "seat": { "$ref": "#/components/schemas/Seat" }
                }
            },
            "ChainHead": {
                "type": "object",
                "properties": { "seq": { "type": "integer", "format": "int64" }, "hash": { "type": "string", "description": "hex SHA-256" } }
            },
            "Board": {
                "type": "object",
                "properties": {
                    "head": { "oneOf": [{ "$ref": "#/components/schemas/ChainHead" }, { "type": "null" }] },
                    "incidents": { "type": "array", "items": { "type": "object", "description": "an open incident (IncidentRow)" } },
                    "units": { "type": "array", "items": { "type": "object", "description": "a unit's latest status (UnitRow)" } }
                }
            },
            "Event": { "type": "object", "description": "a journal event: seq, incident, kind, times, operator, body, prev_hash, hash" }
        }
    });
    if let Some(schemas) = doc["schemas"].as_object_mut() {
        if let Value::Object(more) = desk::schemas() {
            schemas.extend(more);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::error::ApiError;

    /// (path, method) of every `.route("/path", get(..).post(..))` in the routers' source.
    fn routed() -> BTreeSet<(String, String)> {
        let source = [
            include_str!("api.rs"),
            include_str!("routes.rs"),
            include_str!("devices.rs"),
            include_str!("positions.rs"),
            include_str!("tips/routes.rs"),
            include_str!("crew_routes.rs"),
            include_str!("reports.rs"),
            include_str!("leader.rs"),
            include_str!("region_edits.rs"),
        ]
        .concat();
        let mut out = BTreeSet::new();
        for call in source.split(".route(\"").skip(1) {
            let (path, rest) = call.split_once('"').expect("a quoted path");
            let handlers = rest.split("))").next().unwrap_or("");
            for method in ["get", "post", "put", "patch", "delete"] {
                if handlers.contains(&format!(" {method}(")) || handlers.contains(&format!(".{method}(")) {
                    out.insert((path.to_string(), method.to_string()));
                }
            }
        }
        out
    }

    fn documented() -> BTreeSet<(String, String)> {
        let doc = document();
        let mut out = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                out.insert((path.clone(), method.clone()));
            }
        }
        out
    }

    #[test]
    fn every_route_is_described_and_nothing_else() {
        let routed = routed();
        assert!(routed.contains(&("/api/health".into(), "get".into())), "the router's source is read: {routed:?}");
        assert_eq!(routed, documented());
    }

    #[test]
    fn the_error_schema_is_what_errors_serialise_to() {
        let bodies = [ApiError::bad_field("username", "too long"), ApiError::rate_limited("too many", 60)];
        let mut keys = BTreeSet::new();
        for body in bodies.map(|e| serde_json::to_value(e).unwrap()) {
            let these: BTreeSet<String> = body.as_object().unwrap().keys().cloned().collect();
            for required in document()["components"]["schemas"]["Error"]["required"].as_array().unwrap() {
                assert!(these.contains(required.as_str().unwrap()), "{body}");
            }
            keys.extend(these);
        }
        let schema = &document()["components"]["schemas"]["Error"];
        let described: BTreeSet<String> = schema["properties"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, described);
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap();
            assert!(doc["components"]["schemas"].get(name).is_some(), "{name} is referenced but not described");
        }
    }
}
