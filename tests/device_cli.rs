//! `tidewatch device add|list|revoke` on a real PostgreSQL (`TIDEWATCH_PG_URL`; `make
//! test-pg` sets it): the secret printed once, the unit checked against the pack, a
//! revoked device listed as such.

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

#[test]
fn devices_are_added_listed_and_revoked_from_the_command_line() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("SKIPPED: TIDEWATCH_PG_URL is unset (make test-pg)");
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let url = rt.block_on(async {
        let (base, _) = url.rsplit_once('/').unwrap();
        let name = format!("tidewatch_test_device_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut conn).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
        format!("{base}/{name}")
    });

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
