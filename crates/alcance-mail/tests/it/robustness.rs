//! `parse` (and the text passes) must never panic, whatever the bytes.

use proptest::prelude::*;

fn corpus() -> &'static [Vec<u8>] {
    static FILES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    FILES.get_or_init(read_corpus)
}

fn read_corpus() -> Vec<Vec<u8>> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Bytes that matter to MIME and HTML parsing, to hit interesting paths more often.
fn mime_byte() -> impl Strategy<Value = u8> {
    prop_oneof![any::<u8>(), prop::sample::select(b"\r\n:;=<>\"'-?&#/\\ \tB Q".to_vec()),]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(raw in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = alcance_mail::parse(&raw);
    }

    #[test]
    fn parse_never_panics_on_a_valid_head_with_any_body(
        body in prop::collection::vec(mime_byte(), 0..800),
        ctype in prop::sample::select(vec![
            "text/plain; charset=utf-8; format=flowed; delsp=yes", "text/html", "multipart/mixed; boundary=b",
            "multipart/alternative; boundary=\"b\"", "message/rfc822", "multipart/report; boundary=b",
        ]),
        cte in prop::sample::select(vec!["7bit", "quoted-printable", "base64", "8bit"]),
    ) {
        let mut raw = format!(
            "From: a@b.test\r\nSubject: =?utf-8?Q?x=C3?=\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n"
        ).into_bytes();
        raw.extend_from_slice(&body);
        let _ = alcance_mail::parse(&raw);
    }

    #[test]
    fn parse_never_panics_on_damaged_corpus_messages(
        pick in 0usize..64,
        cut in 0usize..10_000,
        flips in prop::collection::vec((0usize..10_000, mime_byte()), 0..8),
    ) {
        let files = corpus();
        let mut raw = files[pick % files.len()].clone();
        for (at, byte) in flips {
            if !raw.is_empty() {
                let i = at % raw.len();
                raw[i] = byte;
            }
        }
        raw.truncate(cut.min(raw.len()));
        let _ = alcance_mail::parse(&raw);
    }

    #[test]
    fn html_to_text_never_panics(html in "(<[a-zA-Z/!?]{0,12}[^>]{0,20}>?|&[#a-zA-Z0-9]{0,8};?|[^<&]{0,10}){0,40}") {
        let _ = alcance_mail::html_to_text(&html);
    }
}
