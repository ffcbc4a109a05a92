//! The desk's routes (`routes.rs`) described: each returns what the local `Workstation`
//! method returns, so the schemas name those types (their fields are the types' serde JSON;
//! the UI's TypeScript bindings in ui/src/lib/bindings spell them out).

use serde_json::{json, Value};

use super::{error_ref, get, json_body, with_session};

fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": schema(name) })
}

fn id_param() -> Value {
    json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }])
}

fn name_param() -> Value {
    json!([{ "name": "name", "in": "path", "required": true, "schema": { "type": "string", "maxLength": crate::MAX_USERNAME } }])
}

fn body_of(name: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema(name) } } })
}

/// A write with a session: `request` (a schema name, or none), answering `ok`.
fn write(summary: &str, parameters: Value, request: Option<&str>, ok: Value, refusals: &[(&str, &str)]) -> Value {
    let mut responses = json!({ "400": error_ref("a field missing, of the wrong type, unknown or too long (field names it)") });
    for (status, what) in refusals {
        responses[*status] = error_ref(what);
    }
    let (code, answer) = if ok.is_null() { ("204", json!({ "description": "done" })) } else { ("200", json_body("done", ok)) };
    responses[code] = answer;
    let mut op =
        json!({ "summary": summary, "security": [{ "session": [] }], "parameters": parameters, "responses": with_session(responses) });
    if let Some(request) = request {
        op["requestBody"] = body_of(request);
    }
    op
}

const AREA: (&str, &str) = ("403", "the role may not dispatch, or the incident is outside the seat's area (the message names it)");
const UNKNOWN: (&str, &str) = ("404", "no such incident (or unit)");

/// An action on incident `{id}` returning `Ack`.
fn action(summary: &str, request: Option<&str>) -> Value {
    write(summary, id_param(), request, schema("Ack"), &[AREA, UNKNOWN, ("409", "the incident's state does not allow it")])
}

pub fn paths() -> Value {
    json!({
        "/api/sign-in-state": { "get": {
            "summary": "Whether the first administrator must be made (no session needed)",
            "responses": { "200": json_body("the state", schema("SignInState")) }
        }},
        "/api/first-administrator": { "post": {
            "summary": "Make the first administrator and sign them in at the centre; only while there is no account (two at once: one is made)",
            "requestBody": body_of("FirstAdministrator"),
            "responses": {
                "200": json_body("made and signed in", schema("SignedIn")),
                "400": error_ref("a name or password the accounts refuse (field names it)"),
                "409": error_ref("an account exists already (kind invalid_input, field username)"),
                "503": error_ref("PostgreSQL is unreachable; retry"),
            }
        }},
        "/api/session": { "get": get("Who is signed in, with which role, at which seat", json!([]),
            json!({ "200": json_body("the session", schema("SessionView")) })) },
        "/api/desk/board": { "get": get(
            "The desk's board (Workstation::board: the thresholds applied); a station's or the squadron's own incidents and units first",
            json!([]),
            json!({ "200": json_body("the board", schema("DeskBoard")) })
        )},
        "/api/incidents/{id}/recommendation": { "get": get("The ranked units for incident id, under the conditions set", id_param(),
            json!({ "200": json_body("the ranking", schema("Recommendation")), "403": error_ref("the role may not dispatch"), "404": error_ref("no such incident") })) },
        "/api/preview": { "post": write("The ranking for a call as it would come in at another time (journals nothing)", json!([]),
            Some("PreviewQuery"), schema("Recommendation"), &[("403", "the role may not dispatch"), ("404", "no such incident type")]) },
        "/api/incidents/{id}/en-route": { "post": action("The unit is on its way", None) },
        "/api/incidents/{id}/on-scene": { "post": action("The unit is at the scene", None) },
        "/api/incidents/{id}/clear": { "post": action("The incident is dealt with", Some("Clear")) },
        "/api/incidents/{id}/cancel": { "post": action("The incident is cancelled", Some("Cancel")) },
        "/api/incidents/{id}/note": { "post": action("A note on the incident's timeline", Some("Note")) },
        "/api/incidents/{id}/timeline": { "get": get("Every event of incident id, in order", id_param(),
            json!({ "200": json_body("the timeline", array_of("Event")), "404": error_ref("no such incident") })) },
        "/api/incidents/{id}/reassign-options": { "get": get("Every eligible unit, busy ones with the incident they would leave, fastest first", id_param(),
            json!({ "200": json_body("the options", array_of("ReassignOption")), "403": error_ref("the role may not dispatch"), "404": error_ref("no such incident") })) },
        "/api/incidents/{id}/reassign": { "post": write("Another unit for incident id (the one it has is withdrawn with the reason)", id_param(),
            Some("Reassign"), schema("Ack"), &[AREA, UNKNOWN, ("409", "the unit is taken or unavailable")]) },
        "/api/conditions": {
            "get": get("The conditions the desks work under, what they close, who set them", json!([]),
                json!({ "200": json_body("the conditions", schema("ConditionsView")) })),
            "put": write("Set the conditions (journaled; every later recommendation uses them)", json!([]), Some("Conditions"),
                schema("ConditionsView"), &[("403", "the role may not dispatch, or the seat is not the centre"), ("404", "an unknown bridge or ferry route")]),
        },
        "/api/board-thresholds": {
            "get": get("The board's amber and red thresholds, who set them", json!([]),
                json!({ "200": json_body("the thresholds", schema("BoardThresholdsView")) })),
            "put": write("Set the board's thresholds (supervisor or administrator, at the centre)", json!([]), Some("Thresholds"),
                schema("BoardThresholdsView"), &[("403", "the role may not configure the board, or the seat is not the centre")]),
        },
        "/api/accounts": {
            "get": get("Every account (administrator)", json!([]),
                json!({ "200": json_body("the accounts", array_of("AccountRow")), "403": error_ref("not an administrator") })),
            "post": write("A new account (administrator; journaled account_created)", json!([]), Some("NewAccount"), Value::Null,
                &[("403", "not an administrator")]),
        },
        "/api/accounts/{name}/disabled": { "post": write("Disable or enable an account (administrator); a disabled account's sessions end",
            name_param(), Some("Disabled"), Value::Null, &[("403", "not an administrator"), ("404", "no such account")]) },
        "/api/accounts/{name}/password": { "post": write("A new password for an account (administrator)",
            name_param(), Some("Password"), Value::Null, &[("403", "not an administrator"), ("404", "no such account")]) },
    })
}

pub fn schemas() -> Value {
    let text = |max: usize| json!({ "type": "string", "maxLength": max });
    let object = |description: &str| json!({ "type": "object", "description": description });
    let closed = |required: &[&str], properties: Value| json!({ "type": "object", "additionalProperties": false, "required": required, "properties": properties });
    let password = json!({ "type": "string", "minLength": 8, "maxLength": crate::MAX_PASSWORD });
    let username = text(crate::MAX_USERNAME);
    json!({
        "Ack": { "type": "object", "required": ["seq"], "properties": { "seq": { "type": "integer", "format": "int64", "description": "the seq of the action's (last) event" } } },
        "SignInState": { "type": "object", "properties": { "needs_first_administrator": { "type": "boolean" } } },
        "FirstAdministrator": closed(&["username", "password"], json!({ "username": username, "password": password })),
        "NewAccount": closed(&["username", "password", "role"], json!({ "username": username, "password": password,
            "role": { "type": "string", "enum": ["dispatcher", "patrol_leader", "supervisor", "administrator"] } })),
        "Disabled": closed(&["disabled"], json!({ "disabled": { "type": "boolean" } })),
        "Password": closed(&["password"], json!({ "password": password })),
        "Clear": closed(&["outcome"], json!({ "outcome": text(crate::MAX_REASON) })),
        "Cancel": closed(&["reason"], json!({ "reason": text(crate::MAX_REASON) })),
        "Note": closed(&["text"], json!({ "text": text(crate::MAX_TEXT) })),
        "Reassign": closed(&["unit", "reason"], json!({ "unit": text(crate::MAX_ID), "reason": text(crate::MAX_REASON) })),
        "Seat": { "type": "string", "pattern": "^(centre|traffic|station:.+)$",
            "description": "centre (everything), traffic (the squadron: traffic calls and units) or station:<place id of a station>" },
        "SessionView": { "type": "object", "properties": { "username": { "type": "string" },
            "role": { "type": "string" }, "seat": schema("Seat") } },
        "DeskBoard": object("tidewatch_core::dispatch::Board: {at, incidents: [BoardIncident], units: [BoardUnit]}"),
        "Recommendation": object("tidewatch_core::dispatch::Recommendation: the ranked candidates, the excluded units and the warnings"),
        "PreviewQuery": { "type": "object", "required": ["at", "lon", "lat", "incident_type"], "properties": {
            "at": { "type": "integer", "description": "seconds since the epoch" }, "lon": { "type": "number" }, "lat": { "type": "number" },
            "incident_type": text(crate::MAX_ID), "priority": { "type": ["integer", "null"] } } },
        "ReassignOption": object("tidewatch_workstation::ReassignOption: a candidate, its status and the incident a busy unit would leave"),
        "Conditions": { "type": "object", "required": ["wind_force", "visibility_m", "closed"], "properties": {
            "wind_force": { "type": "integer", "minimum": 0, "maximum": 17 }, "visibility_m": { "type": ["integer", "null"] },
            "closed": { "type": "array", "items": text(crate::MAX_ID) } } },
        "ConditionsView": object("tidewatch_workstation::ConditionsView: the conditions, closed_links, boats_in_port, set_by, set_at"),
        "Thresholds": object("tidewatch_core::dispatch::Thresholds: the board's amber and red limits per state"),
        "BoardThresholdsView": object("tidewatch_workstation::BoardThresholdsView: thresholds, defaults, set_by, set_at"),
        "AccountRow": { "type": "object", "properties": { "username": { "type": "string" }, "role": { "type": "string" },
            "created_utc": { "type": "integer" }, "disabled": { "type": "boolean" } } },
    })
}
