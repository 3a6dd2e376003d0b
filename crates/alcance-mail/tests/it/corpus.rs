//! Runs every message of `tests/corpus/manifest.json` through `parse` + `decide` and checks
//! the expected intake, ticket, organisation, From, Subject, text and attachments.

use std::path::PathBuf;

use alcance_mail::{Desk, Intake, Parsed, TicketInfo, process};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    file: String,
    expect: String,
    ticket: Option<i64>,
    org: Option<String>,
    from: String,
    subject: String,
    text_contains: Vec<String>,
    text_excludes: Vec<String>,
    attachments: Vec<ExpectedFile>,
}

#[derive(Deserialize)]
struct ExpectedFile {
    name: String,
    content_type: Option<String>,
    size: usize,
}

/// The setting the corpus README describes.
const SECRET: &[u8] = b"alcance-test-key";
const DESK: Desk<'static> =
    Desk { secret: SECRET, id_domain: "alcance.agencia.test", own_addresses: &["soporte@agencia.test"] };

fn known_sender(address: &str) -> Option<String> {
    let (local, domain) = address.rsplit_once('@')?;
    let org = match (local, domain.to_ascii_lowercase().as_str()) {
        ("ana.gomez" | "jorge.rios", "camaraarmenia.test") => "camara-armenia",
        ("l.perez", "uniquindio.test") => "uniquindio",
        _ => return None,
    };
    Some(org.to_string())
}

fn ticket_owner(n: i64) -> Option<TicketInfo<String>> {
    let org = match n {
        1042 => "camara-armenia",
        1043 => "uniquindio",
        _ => return None,
    };
    Some(TicketInfo { org: org.to_string(), extra_senders: Vec::new() })
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Runs of whitespace (NBSP included) become one space, as the manifest's phrases assume.
fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn intake_name(intake: Intake) -> (&'static str, Option<i64>) {
    match intake {
        Intake::NewTicket => ("new_ticket", None),
        Intake::Reply(n) => ("reply", Some(n)),
        Intake::IgnoreAuto => ("ignore_auto", None),
        Intake::HoldUnknownSender => ("hold_unknown_sender", None),
        Intake::HoldSuspicious(n) => ("hold_suspicious", Some(n)),
        Intake::RejectMalformed => ("reject_malformed", None),
    }
}

fn check_parsed(case: &Case, parsed: &Parsed, problems: &mut Vec<String>) {
    let org = known_sender(&parsed.from.to_lowercase());
    if org != case.org {
        problems.push(format!("org {org:?} != {:?}", case.org));
    }
    if !parsed.from.eq_ignore_ascii_case(&case.from) {
        problems.push(format!("from {:?}", parsed.from));
    }
    if parsed.subject != case.subject {
        problems.push(format!("subject {:?}", parsed.subject));
    }
    let text = collapse(&parsed.text);
    for phrase in &case.text_contains {
        if !text.contains(&collapse(phrase)) {
            problems.push(format!("text lacks {phrase:?}"));
        }
    }
    for phrase in &case.text_excludes {
        if text.contains(&collapse(phrase)) {
            problems.push(format!("text has {phrase:?}"));
        }
    }
    let got: Vec<String> =
        parsed.attachments.iter().map(|a| format!("{} ({}, {})", a.file_name, a.content_type, a.bytes.len())).collect();
    let want: Vec<String> = case
        .attachments
        .iter()
        .map(|e| {
            let ctype = e.content_type.clone().unwrap_or_else(|| {
                // No type given: accept whatever was found for that name.
                parsed
                    .attachments
                    .iter()
                    .find(|a| a.file_name == e.name)
                    .map_or(String::new(), |a| a.content_type.clone())
            });
            format!("{} ({ctype}, {})", e.name, e.size)
        })
        .collect();
    if got != want {
        problems.push(format!("attachments {got:?} != {want:?}"));
    }
}

#[test]
fn every_manifest_message_is_handled_as_expected() {
    let manifest = std::fs::read_to_string(corpus_dir().join("manifest.json")).unwrap();
    let cases: Vec<Case> = serde_json::from_str(&manifest).unwrap();
    assert!(cases.len() >= 34, "the manifest lists {} messages", cases.len());
    let mut rows = Vec::new();
    let mut failures = 0;
    for case in &cases {
        let raw = std::fs::read(corpus_dir().join(&case.file)).unwrap();
        let (intake, parsed) = process(&raw, &DESK, known_sender, ticket_owner);
        let (got, ticket) = intake_name(intake);
        let mut problems = Vec::new();
        if got != case.expect {
            problems.push(format!("intake {got}"));
        }
        if ticket != case.ticket {
            problems.push(format!("ticket {ticket:?} != {:?}", case.ticket));
        }
        match (&parsed, case.expect.as_str()) {
            (Err(_), "reject_malformed") => {}
            (Ok(parsed), _) => check_parsed(case, parsed, &mut problems),
            (Err(err), _) => problems.push(format!("parse error: {err}")),
        }
        if !problems.is_empty() {
            failures += 1;
        }
        let status = if problems.is_empty() { "ok" } else { "FAIL" };
        rows.push(format!("{status:4} {:38} {:20} {}", case.file, case.expect, problems.join("; ")));
    }
    let table = rows.join("\n");
    assert_eq!(failures, 0, "{failures} of {} messages failed:\n{table}", cases.len());
}

#[test]
fn rejections_say_why() {
    let nul = std::fs::read(corpus_dir().join("37-nul-bytes.eml")).unwrap();
    let colon = std::fs::read(corpus_dir().join("38-header-without-colon.eml")).unwrap();
    let code = |raw: &[u8]| alcance_mail::parse(raw).err().map(|e| e.code());
    assert_eq!(code(&nul), Some("nul_byte"));
    assert_eq!(code(&colon), Some("header_without_colon"));
    let message = alcance_mail::parse(&colon).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("X-Mailer Microsoft Outlook 16.0"), "{message}");
}
