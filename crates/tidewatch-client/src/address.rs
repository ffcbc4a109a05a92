//! Where the service is: `https://host:port` (its certificate pinned, `tls.rs`), or plain
//! `http://` for a service on this machine only (nothing crosses a network unencrypted).

use std::path::Path;
use std::sync::Arc;

use rustls::ClientConfig;
use tidewatch_core::Error;

use crate::tls::{self, PinState};

/// A parsed service address and, for `https`, the TLS settings that trust it.
pub struct Service {
    /// `scheme://host:port`, without a trailing slash.
    pub base: String,
    /// Host and port to open a socket to (the WebSocket opens its own).
    pub host: String,
    pub port: u16,
    pub tls: Option<Arc<ClientConfig>>,
    pub pin: Option<Arc<PinState>>,
}

fn bad(message: impl Into<String>) -> Error {
    Error::invalid("service", message)
}

impl Service {
    /// Reads `url`; `https` pins the certificate in `data_dir` (or trusts the CA file).
    pub fn parse(url: &str, data_dir: &Path, ca_file: Option<&Path>) -> Result<Service, Error> {
        let parsed = url::Url::parse(url.trim()).map_err(|e| bad(format!("'{url}' is not an address ({e})")))?;
        let secure = match parsed.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(bad(format!("'{other}://' is neither https:// nor http://"))),
        };
        if !parsed.username().is_empty() || parsed.password().is_some() || parsed.query().is_some() || parsed.path() != "/" {
            return Err(bad(format!("'{url}' must be only scheme://host:port")));
        }
        let (host, loopback) = match parsed.host() {
            Some(url::Host::Domain(d)) => (d.to_string(), d.eq_ignore_ascii_case("localhost")),
            Some(url::Host::Ipv4(ip)) => (ip.to_string(), ip.is_loopback()),
            Some(url::Host::Ipv6(ip)) => (ip.to_string(), ip.is_loopback()),
            None => return Err(bad(format!("'{url}' names no host"))),
        };
        if !secure && !loopback {
            return Err(bad(format!(
                "plain http:// is only for a service on this machine; use https://{host} (the desk pins its certificate)"
            )));
        }
        let port = parsed.port_or_known_default().ok_or_else(|| bad(format!("'{url}' names no port")))?;
        let (tls, pin) = if secure {
            let (config, pin) = tls::client_config(data_dir, ca_file)?;
            (Some(config), Some(pin))
        } else {
            (None, None)
        };
        let shown = if host.contains(':') { format!("[{host}]") } else { host.clone() };
        Ok(Service { base: format!("{}://{shown}:{port}", parsed.scheme()), host, port, tls, pin })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The WebSocket address of `path` (`ws://` or `wss://`).
    pub fn ws_url(&self, path: &str) -> String {
        let base = self.base.strip_prefix("http").unwrap_or(&self.base);
        format!("ws{base}{path}")
    }
}

/// `name` as one path segment (account names are letters, digits and `._-`; anything
/// else is percent-encoded rather than trusted).
pub fn segment(name: &str) -> String {
    name.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"._-~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<Service, Error> {
        let dir = tempfile::tempdir().unwrap();
        Service::parse(url, dir.path(), None)
    }

    #[test]
    fn plain_http_is_only_for_this_machine() {
        assert_eq!(parse("http://127.0.0.1:8640").unwrap().base, "http://127.0.0.1:8640");
        assert_eq!(parse("http://localhost:8640/").unwrap().ws_url("/api/live"), "ws://localhost:8640/api/live");
        assert!(parse("http://[::1]:8640").is_ok());
        let refused = parse("http://10.0.0.5:8640").err().unwrap();
        assert_eq!(refused.kind(), "invalid_input");
        assert!(refused.to_string().contains("https://10.0.0.5"), "{refused}");
        let secure = parse("https://10.0.0.5:8640").unwrap();
        assert!(secure.tls.is_some());
        assert_eq!(secure.ws_url("/api/live?after=3"), "wss://10.0.0.5:8640/api/live?after=3");
    }

    #[test]
    fn anything_but_scheme_host_and_port_is_refused() {
        for url in ["ftp://host:1", "https://u:p@host:1", "https://host:1/api", "not a url", "https://host:1/?x=1"] {
            assert!(parse(url).is_err(), "{url}");
        }
    }

    #[test]
    fn odd_names_are_percent_encoded() {
        assert_eq!(segment("op.li-2"), "op.li-2");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
    }
}
