//! The service's one-off commands on a real PostgreSQL (`TIDEWATCH_PG_URL`; `make test-pg`
//! sets it): `tidewatch device add|list|revoke` (the secret printed once, the unit checked
//! against the pack, a revoked device listed as such) and `tidewatch first-administrator`
//! (the installed service's first run: made once, journaled, refused after).

use std::process::{Command, Output};

use sqlx::Connection;

fn device(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .arg("device")
        .args(args)
        .args(["--region", concat!(env!("CARGO_MANIFEST_DIR"), "/assets/regions/dinghai")])
        .env("TIDEWATCH_PG_URL", url)
        .output()
        .expect("tidewatch device runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A new empty database beside the one `TIDEWATCH_PG_URL` names, named for `what`.
fn fresh_database(url: &str, what: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (base, _) = url.rsplit_once('/').unwrap();
        let name = format!("tidewatch_test_{what}_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut conn).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
        format!("{base}/{name}")
    })
}

#[test]
fn devices_are_added_listed_and_revoked_from_the_command_line() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("SKIPPED: TIDEWATCH_PG_URL is unset (make test-pg)");
        return;
    };
    let url = fresh_database(&url, "device");

    let added = device(&url, &["add", "--unit", "dh_traffic_01", "--name", "traffic 01 phone"]);
    assert!(added.status.success(), "{}", text(&added));
    let out = text(&added);
    let secret = out.split("secret ").nth(1).and_then(|s| s.split_whitespace().next()).expect("the secret is printed");
    assert!(secret.len() == 32 && secret.bytes().all(|c| c.is_ascii_hexdigit()), "{out}");

    let unknown = device(&url, &["add", "--unit", "no_such_unit"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert!(text(&unknown).contains("unknown unit 'no_such_unit'"), "{}", text(&unknown));

    let list = device(&url, &["list"]);
    let listed = text(&list);
    assert!(list.status.success() && listed.contains("dh_traffic_01") && listed.contains("active"), "{listed}");
    assert!(!listed.contains(secret), "the secret is shown once only");

    let revoked = device(&url, &["revoke", "1"]);
    assert!(revoked.status.success(), "{}", text(&revoked));
    assert!(text(&device(&url, &["list"])).contains("revoked"));
    let missing = device(&url, &["revoke", "99"]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
}

/// `tidewatch first-administrator --username NAME`, the password on standard input, the
/// database and pack from the environment as the service package's unit gives them.
fn first_administrator(url: &str, name: &str, password: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["first-administrator", "--username", name])
        .env("TIDEWATCH_PG_URL", url)
        .env("TIDEWATCH_REGION", concat!(env!("CARGO_MANIFEST_DIR"), "/assets/regions/dinghai"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tidewatch first-administrator runs");
    child.stdin.take().unwrap().write_all(password).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_first_administrator_is_made_once_from_the_command_line() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("SKIPPED: TIDEWATCH_PG_URL is unset (make test-pg)");
        return;
    };
    let url = fresh_database(&url, "first_admin");

    let empty = first_administrator(&url, "chief", b"");
    assert_eq!(empty.status.code(), Some(2), "{}", text(&empty));
    assert!(text(&empty).contains("no password on standard input"), "{}", text(&empty));
    let short = first_administrator(&url, "chief", b"short\n");
    assert_eq!(short.status.code(), Some(2), "{}", text(&short));
    assert!(text(&short).contains("password"), "{}", text(&short));

    let made = first_administrator(&url, "chief", b"a long enough password\n");
    assert!(made.status.success(), "{}", text(&made));
    assert!(text(&made).contains("administrator chief created"), "{}", text(&made));
    let again = first_administrator(&url, "other", b"another long password\n");
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("exists already"), "{}", text(&again));

    // The account is the journal's, journaled like a desk's: the audit checks the row
    // against its account_created event.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let accounts: Vec<(String, String)> = rt.block_on(async {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query_as("SELECT username, role FROM accounts").fetch_all(&mut conn).await.unwrap()
    });
    assert_eq!(accounts, vec![("chief".to_string(), "administrator".to_string())]);
    let audit = Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(["audit", "verify", "--pg", &url]).output().unwrap();
    assert!(audit.status.success(), "{}", text(&audit));
}
