//! One HTTP call to the service: JSON in and out, the bearer token, the timeouts, and the
//! service's error body mapped back to the desk's own error.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tidewatch_core::error::{remote_kind, RemoteError};
use tidewatch_core::Error;

use crate::address::Service;

/// A connection that is not made by then is a service that cannot be reached.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// A whole request (connect, send, answer) that takes longer is given up.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Files the service makes (a year's report, the whole journal) and the audit, which
/// replays every event, may take longer.
pub const FILE_TIMEOUT: Duration = Duration::from_secs(300);

/// The service's address and this desk's way to it; cheap to clone (the live thread has
/// its own).
#[derive(Clone)]
pub struct Http {
    agent: ureq::Agent,
    pub service: Arc<Service>,
    pub token: Option<String>,
}

impl Http {
    pub fn new(service: Arc<Service>) -> Http {
        let mut builder = ureq::AgentBuilder::new().timeout_connect(CONNECT_TIMEOUT).timeout(REQUEST_TIMEOUT).redirects(0);
        if let Some(tls) = &service.tls {
            builder = builder.tls_config(Arc::clone(tls));
        }
        Http { agent: builder.build(), service, token: None }
    }

    pub fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        self.call("GET", path, None)
    }

    /// A JSON answer that may take up to `FILE_TIMEOUT` (the audit) and be up to `max` bytes.
    pub fn get_slowly<T: DeserializeOwned>(&self, path: &str, max: u64) -> Result<T, Error> {
        let answer = self.file(path, max)?;
        serde_json::from_slice(&answer.bytes)
            .map_err(|e| Error::ServiceUnavailable(format!("the command centre's answer to GET {path} is not what the desk expects: {e}")))
    }

    /// A call with a JSON body (`None`: no body).
    pub fn send<T: DeserializeOwned>(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> Result<T, Error> {
        self.call(method, path, body)
    }

    /// A call whose answer has no body (204).
    pub fn send_empty(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> Result<(), Error> {
        self.exchange(method, path, body).map(drop)
    }

    /// A binary answer (a tip's photo) of at most `max` bytes, with its content type.
    pub fn bytes(&self, path: &str, max: u64) -> Result<(String, Vec<u8>), Error> {
        self.file(path, max).map(|f| (f.kind, f.bytes))
    }

    /// A file the service made (a report, the journal): its bytes, content type and the
    /// name its `Content-Disposition` gives.
    pub fn file(&self, path: &str, max: u64) -> Result<Download, Error> {
        let mut request = self.agent.get(&self.service.url(path)).timeout(FILE_TIMEOUT);
        if let Some(token) = &self.token {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        match request.call() {
            Ok(response) => {
                let kind = response.content_type().to_string();
                let name = response.header("Content-Disposition").and_then(attachment_name);
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::Read::take(response.into_reader(), max + 1), &mut bytes)
                    .map_err(|e| self.unreachable(&e))?;
                if bytes.len() as u64 > max {
                    return Err(Error::ServiceUnavailable(format!("the command centre's answer to GET {path} is over {max} bytes")));
                }
                Ok(Download { kind, name, bytes })
            }
            Err(ureq::Error::Status(status, response)) => Err(refusal(status, &response.into_string().unwrap_or_default())),
            Err(ureq::Error::Transport(e)) => Err(self.unreachable(&e)),
        }
    }

    fn call<T: DeserializeOwned>(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> Result<T, Error> {
        let text = self.exchange(method, path, body)?;
        serde_json::from_str(&text).map_err(|e| {
            Error::ServiceUnavailable(format!(
                "the command centre's answer to {method} {path} is not what this desk understands ({e}); is the desk older than the service?"
            ))
        })
    }

    /// The answer's body, or the refusal as the desk's error.
    fn exchange(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> Result<String, Error> {
        let mut request = self.agent.request(method, &self.service.url(path));
        if let Some(token) = &self.token {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        let answer = match body {
            Some(body) => request.set("Content-Type", "application/json").send_string(&body.to_string()),
            None => request.call(),
        };
        match answer {
            Ok(response) => response.into_string().map_err(|e| self.unreachable(&e)),
            Err(ureq::Error::Status(status, response)) => Err(refusal(status, &response.into_string().unwrap_or_default())),
            Err(ureq::Error::Transport(e)) => Err(self.unreachable(&e)),
        }
    }

    fn unreachable(&self, e: &dyn std::error::Error) -> Error {
        Error::ServiceUnavailable(format!("the command centre at {} cannot be reached: {}", self.service.base, causes(e)))
    }
}

/// A binary answer.
pub struct Download {
    pub kind: String,
    /// The file name the service gave (`attachment; filename="…"`), when it gave one.
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

/// The plain file name of an `attachment; filename="…"` header; a name with a path or
/// anything odd in it is not taken.
fn attachment_name(header: &str) -> Option<String> {
    let name = header.split(';').map(str::trim).find_map(|p| p.strip_prefix("filename="))?.trim_matches('"');
    let plain = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) && !name.starts_with('.');
    plain.then(|| name.to_string())
}

/// An error and every cause under it, once each (a TLS refusal is three layers down).
pub fn causes(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = cause.source();
    }
    parts.join(": ")
}

/// The body every refusal carries (`kind`; a service before the contract said `error`).
#[derive(serde::Deserialize)]
struct Body {
    kind: Option<String>,
    error: Option<String>,
    message: Option<String>,
    field: Option<String>,
    minutes: Option<i64>,
}

/// A non-2xx answer as the desk's error: the service's kind (mapped to one the desk words)
/// and its message whole; a body that is not the service's JSON is named by its status.
pub fn refusal(status: u16, body: &str) -> Error {
    let parsed: Option<Body> = serde_json::from_str(body).ok();
    let Some(b) = parsed.filter(|b| b.kind.is_some() || b.error.is_some()) else {
        let kind = match status {
            400 => "invalid_input",
            401 => "not_signed_in",
            403 => "forbidden",
            404 => "unknown",
            409 => "unit_unavailable",
            413 => "payload_too_large",
            429 => "rate_limited",
            _ => "service_unavailable",
        };
        let excerpt: String = body.chars().take(200).collect();
        let message = format!("the command centre answered HTTP {status}: {excerpt}");
        return Error::Remote(Box::new(RemoteError { kind, message, field: None, minutes: None }));
    };
    let sent = b.kind.or(b.error).unwrap_or_default();
    let kind = remote_kind(&sent);
    let message = b.message.unwrap_or_default();
    // A kind this desk does not know keeps its name in the message.
    let message = if kind == "remote" { format!("{sent}: {message}") } else { message };
    Error::Remote(Box::new(RemoteError { kind, message, field: b.field, minutes: b.minutes }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_attachment_name_is_taken() {
        assert_eq!(
            attachment_name("attachment; filename=\"tidewatch-report-20260101_20261231.csv\"").as_deref(),
            Some("tidewatch-report-20260101_20261231.csv")
        );
        for odd in [
            "attachment; filename=\"../etc/passwd\"",
            "attachment; filename=\"a/b.csv\"",
            "attachment",
            "attachment; filename=\".x\"",
            "attachment; filename=\"\"",
        ] {
            assert_eq!(attachment_name(odd), None, "{odd}");
        }
    }

    #[test]
    fn a_refusal_keeps_the_services_kind_message_and_field() {
        let e = refusal(400, r#"{"kind":"invalid_input","message":"seat: no such station","field":"seat"}"#);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({"kind":"invalid_input","message":"seat: no such station","field":"seat"}));
        let e = refusal(409, r#"{"error":"unit_taken","message":"unit 'p1' was taken by ann"}"#);
        assert_eq!((e.kind(), e.to_string().as_str()), ("unit_taken", "unit 'p1' was taken by ann"));
        let e = refusal(429, r#"{"kind":"sign_in_locked","message":"m","minutes":12}"#);
        assert_eq!(serde_json::to_value(&e).unwrap()["minutes"], 12);
        let e = refusal(503, r#"{"error":"unavailable","message":"PostgreSQL: gone"}"#);
        assert_eq!(e.kind(), "service_unavailable");
    }

    #[test]
    fn an_unknown_kind_or_a_foreign_body_still_says_what_happened() {
        let e = refusal(418, r#"{"kind":"teapot","message":"short and stout"}"#);
        assert_eq!((e.kind(), e.to_string().as_str()), ("remote", "teapot: short and stout"));
        let e = refusal(502, "<html>Bad Gateway</html>");
        assert_eq!(e.kind(), "service_unavailable");
        assert!(e.to_string().contains("502") && e.to_string().contains("Bad Gateway"));
    }
}
