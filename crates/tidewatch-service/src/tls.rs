//! TLS for the service: rustls (on ring, the provider sqlx already brings).
//!
//! The certificate is `cert.pem` (the chain, leaf first) and `key.pem` in a directory of
//! the service's own. When both are missing the service makes a self-signed pair on first
//! start and prints its SHA-256 fingerprint; a desk pins that fingerprint
//! ([`pinned_client_config`]) and refuses a changed certificate with a clear message. An
//! office with its own CA puts its `cert.pem` and `key.pem` there instead: they are used
//! as they are, and desks verify them against the CA as for any site.
//!
//! [`TlsListener`] is an `axum::serve` listener: each handshake runs in a task of its own
//! (with a deadline), so a slow or silent client never holds up the others.

use std::fs;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, ServerConfig, SignatureScheme};
use sha2::{Digest, Sha256};
use tidewatch_core::Error;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// The certificate chain (leaf first) and the private key, as PEM, in the TLS directory.
pub const CERT_FILE: &str = "cert.pem";
pub const KEY_FILE: &str = "key.pem";
/// A client that has not finished its handshake by then is dropped.
const HANDSHAKE_DEADLINE: Duration = Duration::from_secs(10);
/// Handshaken connections not yet taken by the server.
const BACKLOG: usize = 64;

/// The service's TLS identity.
#[derive(Clone)]
pub struct Tls {
    config: Arc<ServerConfig>,
    /// SHA-256 of the leaf certificate, as `AB:CD:…` (what a desk pins).
    pub fingerprint: String,
    /// Whether this start made the certificate (first start).
    pub made: bool,
    pub cert_path: PathBuf,
}

fn tls_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Storage(format!("TLS: {what}: {e}"))
}

/// ring, as sqlx uses already (aws-lc-rs, rustls' default, is a C/cmake build). ring has
/// no post-quantum key exchange, hence rustls' deprecation note; the desks pin the
/// certificate either way.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// SHA-256 of a certificate (DER), upper-case hex in pairs joined by `:` (as browsers and
/// `openssl x509 -fingerprint -sha256` show it).
pub fn fingerprint(der: &[u8]) -> String {
    let hex = tidewatch_journal::hex(&Sha256::digest(der)).to_uppercase();
    hex.as_bytes().chunks(2).map(|p| String::from_utf8_lossy(p).into_owned()).collect::<Vec<_>>().join(":")
}

/// A fingerprint as typed or pasted (any case, with or without `:` or spaces), for
/// comparing.
fn normalised(fingerprint: &str) -> String {
    fingerprint.chars().filter(char::is_ascii_hexdigit).map(|c| c.to_ascii_lowercase()).collect()
}

/// The identity in `dir` (made if it holds neither file; `names` are the host names and
/// addresses the self-signed certificate is made for). Blocking file work: call it before
/// serving, or from a blocking thread.
pub fn load_or_make(dir: &Path, names: &[String]) -> Result<Tls, Error> {
    let (cert, key) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    let made = if cert.exists() || key.exists() {
        false
    } else {
        fs::create_dir_all(dir)?;
        make(dir, names)?
    };
    let (chain, key) = read_pair(&cert, &key)?;
    let fingerprint = fingerprint(&chain[0]);
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("protocol versions", e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| tls_error(&format!("{} and {}", CERT_FILE, KEY_FILE), e))?;
    // axum serves HTTP/1.1 (the WebSocket upgrade included).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls { config: Arc::new(config), fingerprint, made, cert_path: cert })
}

/// Makes a self-signed pair in `dir`; false when another process made one first (theirs
/// is used: the files are published with links that never overwrite).
fn make(dir: &Path, names: &[String]) -> Result<bool, Error> {
    let made = rcgen::generate_simple_self_signed(names.to_vec()).map_err(|e| tls_error("making a certificate", e))?;
    // Scratch names of this maker's own (other processes, other threads of this one).
    static MAKERS: AtomicU64 = AtomicU64::new(0);
    let me = format!("{}.{}", std::process::id(), MAKERS.fetch_add(1, Ordering::Relaxed));
    let (tmp_cert, tmp_key) = (dir.join(format!(".{CERT_FILE}.{me}")), dir.join(format!(".{KEY_FILE}.{me}")));
    write_new(&tmp_key, made.signing_key.serialize_pem().as_bytes(), 0o600)?;
    write_new(&tmp_cert, made.cert.pem().as_bytes(), 0o644)?;
    // The key first: the certificate appearing is the sign that both are there.
    let published = fs::hard_link(&tmp_key, dir.join(KEY_FILE)).and_then(|()| fs::hard_link(&tmp_cert, dir.join(CERT_FILE)));
    let _ = (fs::remove_file(&tmp_key), fs::remove_file(&tmp_cert));
    match published {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Writes a file that must not exist yet, readable as `mode` from the start (a key is
/// never readable by others, not even for a moment).
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), Error> {
    let mut f = fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// The chain and key; waits a moment for a pair another process is still publishing.
fn read_pair(cert: &Path, key: &Path) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), Error> {
    for _ in 0..20 {
        if cert.exists() && key.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| tls_error(&cert.display().to_string(), e))?;
    if chain.is_empty() {
        return Err(tls_error(&cert.display().to_string(), "no certificate in it"));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| tls_error(&key.display().to_string(), e))?;
    Ok((chain, key))
}

/// Accepts TLS connections: an `axum::serve` listener. Wrap it with
/// `axum::serve::ListenerExt::tap_io` to have `ConnectInfo<SocketAddr>`.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Starts accepting on `tcp` (in a task of its own, until this listener is dropped).
    pub fn new(tcp: TcpListener, tls: &Tls) -> io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(BACKLOG);
        tokio::spawn(accept_loop(tcp, TlsAcceptor::from(Arc::clone(&tls.config)), tx));
        Ok(TlsListener { ready, local })
    }
}

async fn accept_loop(tcp: TcpListener, acceptor: TlsAcceptor, tx: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>) {
    loop {
        let accepted = tokio::select! {
            accepted = tcp.accept() => accepted,
            // The server stopped: stop listening (the port is free again).
            () = tx.closed() => return,
        };
        let (stream, from) = match accepted {
            Ok(a) => a,
            // Out of descriptors and the like: wait rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let (acceptor, tx) = (acceptor.clone(), tx.clone());
        tokio::spawn(async move {
            // A failed or late handshake is the client's problem; the connection is dropped.
            if let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_DEADLINE, acceptor.accept(stream)).await {
                let _ = tx.send((tls, from)).await;
            }
        });
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accepting task only ends once this listener is gone; until then, wait.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// A desk's TLS settings for a service with a self-signed certificate: it trusts exactly
/// the certificate whose SHA-256 is `pin` (as printed by `tidewatch serve`, any case, `:`
/// optional), and refuses any other with a message saying the certificate changed.
pub fn pinned_client_config(pin: &str) -> Result<ClientConfig, Error> {
    let pin = normalised(pin);
    if pin.len() != 64 {
        return Err(Error::invalid("fingerprint", "a SHA-256 fingerprint is 64 hex digits"));
    }
    let provider = provider();
    let verifier = Arc::new(Pinned { pin, provider: Arc::clone(&provider), seen: Default::default() });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("protocol versions", e))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

/// A desk's first connect: the fingerprint of the certificate the service at `addr`
/// presents, trusting nothing yet. The desk shows it to the operator (to compare with the
/// one `tidewatch serve` printed) and pins it; every later connect uses
/// [`pinned_client_config`].
pub async fn first_use_fingerprint(addr: SocketAddr, server_name: &str) -> Result<String, Error> {
    let provider = provider();
    let seen = Arc::new(Pinned { pin: String::new(), provider: Arc::clone(&provider), seen: Default::default() });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("protocol versions", e))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::clone(&seen) as Arc<dyn ServerCertVerifier>)
        .with_no_client_auth();
    let name = ServerName::try_from(server_name.to_string()).map_err(|e| Error::invalid("server_name", e.to_string()))?;
    let tcp = TcpStream::connect(addr).await?;
    // The handshake fails at the certificate (nothing is pinned yet); the verifier has
    // seen it by then.
    let _ = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await;
    let learned = seen.seen.lock().map_err(|_| tls_error("first connect", "poisoned"))?.clone();
    learned.ok_or_else(|| tls_error(&addr.to_string(), "no certificate presented (is it a TLS service?)"))
}

/// Trusts one certificate by its fingerprint; the handshake's signatures are still
/// checked (the server must hold that certificate's key). Remembers the last certificate
/// it was shown.
#[derive(Debug)]
struct Pinned {
    pin: String,
    provider: Arc<CryptoProvider>,
    seen: std::sync::Mutex<Option<String>>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = fingerprint(end_entity);
        if let Ok(mut last) = self.seen.lock() {
            *last = Some(seen.clone());
        }
        if !self.pin.is_empty() && normalised(&seen) == self.pin {
            return Ok(ServerCertVerified::assertion());
        }
        Err(rustls::Error::General(format!(
            "the service's certificate has changed: it is now {seen}, this desk pinned another. \
             Someone may be between this desk and the service; ask the administrator before trusting the new one."
        )))
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

    fn names() -> Vec<String> {
        vec!["localhost".into(), "127.0.0.1".into()]
    }

    #[test]
    fn first_start_makes_a_pair_and_later_starts_keep_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_make(dir.path(), &names()).unwrap();
        assert!(first.made);
        let again = load_or_make(dir.path(), &names()).unwrap();
        assert!(!again.made);
        assert_eq!(first.fingerprint, again.fingerprint);
        let mode = |f: &str| std::os::unix::fs::PermissionsExt::mode(&fs::metadata(dir.path().join(f)).unwrap().permissions()) & 0o777;
        assert_eq!(mode(KEY_FILE), 0o600, "the key is the service's alone");
        // Nothing left behind but the pair.
        let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        left.sort();
        assert_eq!(left, [CERT_FILE, KEY_FILE]);
    }

    #[test]
    fn makers_starting_together_end_with_one_pair() {
        let dir = tempfile::tempdir().unwrap();
        let made: Vec<Tls> = std::thread::scope(|s| {
            let makers: Vec<_> = (0..4).map(|_| s.spawn(|| load_or_make(dir.path(), &names()).unwrap())).collect();
            makers.into_iter().map(|m| m.join().unwrap()).collect()
        });
        assert!(made.iter().all(|t| t.fingerprint == made[0].fingerprint), "one certificate for all");
        assert_eq!(made.iter().filter(|t| t.made).count(), 1, "one maker published");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no scratch files left");
    }

    #[test]
    fn a_half_pair_is_refused_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        load_or_make(dir.path(), &names()).unwrap();
        fs::remove_file(dir.path().join(KEY_FILE)).unwrap();
        assert!(load_or_make(dir.path(), &names()).is_err());
        assert!(!dir.path().join(KEY_FILE).exists(), "an operator's certificate is never paired with a new key");
    }

    #[test]
    fn the_fingerprint_is_the_sha256_of_the_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let tls = load_or_make(dir.path(), &names()).unwrap();
        let der = CertificateDer::from_pem_file(&tls.cert_path).unwrap();
        assert_eq!(normalised(&tls.fingerprint), tidewatch_journal::hex(&Sha256::digest(&der)));
        assert_eq!(tls.fingerprint.len(), 32 * 3 - 1);
        assert_eq!(fingerprint(b"abc").split(':').next(), Some("BA"));
    }

    #[test]
    fn a_pin_must_be_a_whole_fingerprint() {
        assert!(pinned_client_config("AB:CD").is_err());
        assert!(pinned_client_config(&"ab".repeat(32)).is_ok());
        assert!(pinned_client_config(&"AB:".repeat(31).to_string()).is_err());
    }
}
