//! The command line: help everywhere, clear errors, never a panic.

use alcance_testkit::{TestBackend, TestDb};

use crate::support::{BIN, Server, alcance, free_port, text};

fn assert_clean_failure(out: &std::process::Output, expected: &str) {
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "should fail: {stderr}");
    assert!(stderr.contains(expected), "stderr should mention `{expected}`: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "panic: {stderr}");
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "--help"],
        vec!["user", "create", "--help"],
        vec!["token", "create", "--help"],
        vec!["demo", "--help"],
    ] {
        let out = std::process::Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let help = text(&out.stdout);
        assert!(help.contains("Usage:"), "{args:?}: {help}");
        if args.len() > 1 {
            assert!(
                help.contains("--data-dir") && help.contains("--database-url"),
                "{args:?} lacks the database options"
            );
        }
    }
}

async fn migrate_is_idempotent_and_users_get_clear_errors(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let out = alcance(&db, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("applied migrations"));
    let out = alcance(&db, &["migrate"], None);
    assert!(text(&out.stdout).contains("up to date"));

    let out =
        alcance(&db, &["user", "create", "--email", "ana@camara.co", "--name", "Ana", "--role", "requester"], None);
    assert_clean_failure(&out, "organization: required");
    let out = alcance(&db, &["user", "create", "--email", "no-es-correo", "--name", "Ana", "--role", "agent"], None);
    assert_clean_failure(&out, "email: invalid");
    let out = alcance(
        &db,
        &["user", "create", "--email", "ana@agencia.co", "--name", "Ana", "--role", "agent", "--password-stdin"],
        Some("corta\n"),
    );
    assert_clean_failure(&out, "password: too short");
    let out = alcance(
        &db,
        &["user", "create", "--email", "ana@agencia.co", "--name", "Ana", "--role", "agent", "--password-stdin"],
        Some("una clave suficientemente larga\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = alcance(&db, &["token", "create", "--user", "nadie@agencia.co"], None);
    assert_clean_failure(&out, "user: not found");
    let out = alcance(&db, &["token", "create", "--user", "ana@agencia.co"], None);
    assert!(text(&out.stdout).trim().starts_with("alc_"));

    // The port is taken by a running server: a second one says so plainly.
    let port = free_port();
    let _running = Server::start(&db, port).await;
    let out = alcance(&db, &["serve", "--addr", &format!("127.0.0.1:{port}")], None);
    assert_clean_failure(&out, "already in use");
    // Commands work beside the running server.
    let out =
        alcance(&db, &["user", "create", "--email", "luis@agencia.co", "--name", "Luis", "--role", "agent"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = alcance(&db, &["token", "create", "--user", "luis@agencia.co"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

async fn an_invalid_policy_file_is_refused_naming_line_and_field(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let default = include_str!("../../../../policy/default.toml");
    let broken = default.replacen("coverage = \"covered\"", "coverage = \"cubierta\"", 1);
    let line = broken.lines().position(|l| l.contains("\"cubierta\"")).unwrap() + 1;
    let path = db.dir().join("politica.toml");
    std::fs::write(&path, broken).unwrap();
    let out = alcance(&db, &["token", "create", "--user", "x@agencia.co", "--policy", path.to_str().unwrap()], None);
    assert_clean_failure(&out, &format!("line {line}, field `coverage`"));
}

alcance_testkit::on_both_backends!(
    migrate_is_idempotent_and_users_get_clear_errors,
    an_invalid_policy_file_is_refused_naming_line_and_field
);

#[test]
fn unusable_data_dir_and_database_are_reported() {
    let file = std::env::temp_dir().join(format!("alcance-not-a-dir-{}", std::process::id()));
    std::fs::write(&file, "x").unwrap();
    let out = std::process::Command::new(BIN).args(["migrate", "--data-dir"]).arg(file.join("sub")).output().unwrap();
    assert_clean_failure(&out, "cannot create data directory");
    let _ = std::fs::remove_file(&file);

    let out = std::process::Command::new(BIN)
        .args(["migrate", "--database-url", "postgres://nobody@127.0.0.1:1/nothing"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "cannot connect to PostgreSQL");
}
