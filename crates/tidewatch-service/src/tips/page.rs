//! The public page, embedded in the binary (`web/tips/`): plain HTML, CSS and JavaScript,
//! zh-CN, no framework and nothing fetched from elsewhere. Served with a content security
//! policy that allows only its own script and style, so even a text that slipped through
//! as markup could not run.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

const INDEX: &str = include_str!("../../web/tips/index.html");
const FILES: [(&str, &str, &str); 3] = [
    ("tips.js", "text/javascript; charset=utf-8", include_str!("../../web/tips/tips.js")),
    ("tips.css", "text/css; charset=utf-8", include_str!("../../web/tips/tips.css")),
    ("sw.js", "text/javascript; charset=utf-8", include_str!("../../web/tips/sw.js")),
];

/// Only the page's own files; photos as blobs and data URLs (the preview); calls to this
/// service only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; \
    connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn served(content_type: &'static str, body: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        // Revalidated each time when online; the worker keeps a copy for offline.
        (header::CACHE_CONTROL, "no-cache"),
    ];
    (StatusCode::OK, headers, body).into_response()
}

pub async fn index() -> Response {
    served("text/html; charset=utf-8", INDEX)
}

pub async fn asset(Path(file): Path<String>) -> Result<Response, ApiError> {
    let (_, content_type, body) =
        FILES.iter().find(|(name, _, _)| *name == file).ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "unknown", "no such file"))?;
    Ok(served(content_type, body))
}
