//! Trusting the service: its certificate pinned by SHA-256, trust on first use.
//!
//! The service makes a self-signed certificate on first start and prints its SHA-256
//! (`tidewatch_service::tls::fingerprint`: upper-case hex pairs joined by `:`). A desk that
//! has pinned nothing yet trusts the certificate it is first shown and writes its
//! fingerprint to `service-pin` in its app-data directory (the desk says which, for the
//! operator to compare with the printed one); from then on any other certificate is
//! refused, naming both fingerprints. An office with its own CA gives the desk the CA's
//! certificate file instead: a certificate that chains to it is accepted as well.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};
use tidewatch_core::Error;

/// The pinned fingerprint, in the desk's app-data directory.
pub const PIN_FILE: &str = "service-pin";

/// SHA-256 of a certificate (DER) as the service prints it: `AB:CD:…`.
pub fn fingerprint(der: &[u8]) -> String {
    let hex = tidewatch_journal::hex(&Sha256::digest(der)).to_uppercase();
    hex.as_bytes().chunks(2).map(|p| String::from_utf8_lossy(p).into_owned()).collect::<Vec<_>>().join(":")
}

/// A fingerprint as typed or stored (any case, `:` or spaces), for comparing.
fn normalised(fingerprint: &str) -> String {
    fingerprint.chars().filter(char::is_ascii_hexdigit).map(|c| c.to_ascii_lowercase()).collect()
}

/// ring, as the service and sqlx use.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::invalid("service", format!("TLS: {what}: {e}"))
}

/// The pin as stored: None when this desk has pinned nothing yet.
pub fn read_pin(data_dir: &Path) -> Result<Option<String>, Error> {
    match fs::read_to_string(data_dir.join(PIN_FILE)) {
        Ok(text) => {
            let pin = text.trim().to_string();
            if normalised(&pin).len() != 64 {
                return Err(tls_error(&data_dir.join(PIN_FILE).display().to_string(), "not a SHA-256 fingerprint"));
            }
            Ok(Some(pin))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Writes the pin whole or not at all (a scratch file renamed over it).
fn write_pin(path: &Path, fingerprint: &str) -> std::io::Result<()> {
    let scratch = path.with_extension("new");
    fs::write(&scratch, format!("{fingerprint}\n"))?;
    fs::rename(&scratch, path)
}

/// The TLS settings of a desk: the pinned certificate (or the first one it is shown),
/// or one from the office CA in `ca_file`.
pub fn client_config(data_dir: &Path, ca_file: Option<&Path>) -> Result<(Arc<ClientConfig>, Arc<PinState>), Error> {
    let provider = provider();
    let ca = match ca_file {
        Some(file) => Some(ca_verifier(file, &provider)?),
        None => None,
    };
    let state = Arc::new(PinState { pin: Mutex::new(read_pin(data_dir)?), path: data_dir.join(PIN_FILE), first_use: Mutex::new(None) });
    let verifier = Arc::new(Pinned { state: Arc::clone(&state), ca, provider: Arc::clone(&provider) });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("protocol versions", e))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok((Arc::new(config), state))
}

/// The office CA's certificates (PEM) as the roots of a standard verifier.
fn ca_verifier(file: &Path, provider: &Arc<CryptoProvider>) -> Result<Arc<WebPkiServerVerifier>, Error> {
    let mut roots = RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(file)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| tls_error(&file.display().to_string(), e))?;
    for cert in certs {
        roots.add(cert).map_err(|e| tls_error(&file.display().to_string(), e))?;
    }
    if roots.is_empty() {
        return Err(tls_error(&file.display().to_string(), "no certificate in it"));
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(provider))
        .build()
        .map_err(|e| tls_error(&file.display().to_string(), e))
}

/// What the desk has pinned, and what it pinned on first use in this run.
#[derive(Debug)]
pub struct PinState {
    pin: Mutex<Option<String>>,
    path: PathBuf,
    first_use: Mutex<Option<String>>,
}

impl PinState {
    /// The fingerprint this desk trusts (None before its first connect).
    pub fn pinned(&self) -> Option<String> {
        self.pin.lock().ok().and_then(|p| p.clone())
    }

    /// The fingerprint pinned on first use in this run, once (for the desk to show).
    pub fn take_first_use(&self) -> Option<String> {
        self.first_use.lock().ok().and_then(|mut f| f.take())
    }

    /// Checks `seen` against the pin, pinning it when there is none yet.
    fn check(&self, seen: &str) -> Result<(), rustls::Error> {
        let mut pin = self.pin.lock().map_err(|_| rustls::Error::General("the pin lock is poisoned".into()))?;
        match pin.as_deref() {
            Some(pinned) if normalised(pinned) == normalised(seen) => Ok(()),
            Some(pinned) => Err(rustls::Error::General(format!(
                "the command centre's certificate has changed: it is now {seen}, this desk pinned {pinned}. Someone may be \
                 between this desk and the service; ask the administrator before trusting the new one (then delete {})",
                self.path.display()
            ))),
            None => {
                write_pin(&self.path, seen).map_err(|e| rustls::Error::General(format!("pinning the certificate: {e}")))?;
                *pin = Some(seen.to_string());
                if let Ok(mut first) = self.first_use.lock() {
                    *first = Some(seen.to_string());
                }
                Ok(())
            }
        }
    }
}

/// Trusts the pinned certificate (or a certificate from the office CA); the handshake's
/// signatures are checked either way (the server must hold the certificate's key).
#[derive(Debug)]
struct Pinned {
    state: Arc<PinState>,
    ca: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(ca) = &self.ca {
            if let Ok(ok) = ca.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
                return Ok(ok);
            }
        }
        self.state.check(&fingerprint(end_entity)).map(|()| ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_certificate_is_pinned_and_a_changed_one_refused_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        let (_, state) = client_config(dir.path(), None).unwrap();
        let (a, b) = (fingerprint(b"first"), fingerprint(b"second"));
        state.check(&a).unwrap();
        assert_eq!(read_pin(dir.path()).unwrap().as_deref(), Some(a.as_str()), "stored for the next start");
        assert_eq!(state.take_first_use().as_deref(), Some(a.as_str()));
        state.check(&a.to_lowercase()).unwrap();
        let refused = state.check(&b).unwrap_err().to_string();
        assert!(refused.contains(&a) && refused.contains(&b), "{refused}");
        let (_, again) = client_config(dir.path(), None).unwrap();
        assert!(again.check(&b).is_err(), "a restarted desk keeps the pin");
    }

    #[test]
    fn a_damaged_pin_file_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(PIN_FILE), "AB:CD\n").unwrap();
        assert!(client_config(dir.path(), None).is_err());
    }
}
