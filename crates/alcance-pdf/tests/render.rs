//! Renders real documents and reads them back with poppler's `pdftotext` / `pdfinfo`.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use alcance_pdf::{Align, Brand, Column, Document, PdfDate, Table, TotalLine, page_count, render};

const LONG: &str = "Migración completa del servidor de correo de la sede principal a la nube, incluida la \
    configuración de buzones compartidos, reglas antispam, firmas corporativas, copias de seguridad \
    diarias y una capacitación de dos horas para el equipo de facturación sobre el nuevo flujo de \
    aprobación de órdenes de compra y la recuperación de contraseñas.";

fn description(i: usize) -> String {
    format!("Sesión de soporte remoto nº {i:02}: revisión de equipos")
}

fn quote(rows: usize) -> Document {
    let mut table_rows: Vec<Vec<String>> = (1..=rows)
        .map(|i| vec![description(i), format!("{}", i % 4 + 1), "85.000".into(), format!("{}", (i % 4 + 1) * 85_000)])
        .collect();
    if rows > 10 {
        table_rows.insert(5, vec![LONG.into(), "1".into(), "1.200.000".into(), "1200000".into()]);
    }
    Document {
        brand: Brand {
            name: "Soluciones Andinas S.A.S.".into(),
            color: [0, 94, 140],
            lines: vec!["Calle 72 # 10-34, Bogotá".into(), "www.andinas.co".into(), "soporte@andinas.co".into()],
        },
        title: "Cotización Q-2026-0007".into(),
        meta: vec![
            ("Cliente".into(), "Ferretería Núñez Ltda.".into()),
            ("Fecha".into(), "3 de marzo de 2026".into()),
            ("Válida hasta".into(), "2 de abril de 2026".into()),
            ("Solicitud".into(), "#1042".into()),
        ],
        intro: vec!["Estimado señor Núñez: según lo conversado, ésta es nuestra propuesta para el año.".into()],
        table: Table {
            columns: vec![
                Column { header: "Descripción".into(), align: Align::Left, width: 0.55 },
                Column { header: "Cantidad".into(), align: Align::Right, width: 0.12 },
                Column { header: "Valor unitario".into(), align: Align::Right, width: 0.16 },
                Column { header: "Valor total".into(), align: Align::Right, width: 0.17 },
            ],
            rows: table_rows,
        },
        totals: vec![
            TotalLine { label: "Subtotal".into(), amount: "$ 12.345.600".into(), emphasis: false },
            TotalLine { label: "IVA 19 %".into(), amount: "$ 2.345.664".into(), emphasis: false },
            TotalLine { label: "Total".into(), amount: "$ 14.691.264".into(), emphasis: true },
        ],
        notes: vec![
            "¿Preguntas? ¡Escríbanos! Precios en pesos colombianos; el pago en € se liquida a la TRM del día.".into(),
        ],
        footer: "Soluciones Andinas S.A.S. · NIT 900.123.456-7 · Régimen común".into(),
        page_label: "Página {page} de {pages}".into(),
        language: "es-CO".into(),
        creation_date: None,
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Writes the PDF to a unique temp file and runs a poppler tool on it.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path: PathBuf = std::env::temp_dir().join(format!("alcance-pdf-test-{}-{n}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    // pdftotext writes to a file unless told `-`; pdfinfo always prints.
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output();
    let _ = std::fs::remove_file(&path);
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{tool}` is not installed: these tests read the PDFs back with poppler. \
             Install it with `apt-get install -y poppler-utils`."
        ),
        Err(e) => panic!("cannot run {tool}: {e}"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{tool} failed: {stderr}");
    // poppler reports damaged files on stderr but may still exit 0.
    assert!(stderr.trim().is_empty(), "{tool} complained: {stderr}");
    String::from_utf8(output.stdout).unwrap_or_else(|e| panic!("{tool} printed invalid UTF-8: {e}"))
}

fn text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf)
}

/// pdftotext ends every page with a form feed.
fn pages(text: &str) -> Vec<&str> {
    let mut pages: Vec<&str> = text.split('\u{c}').collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Whether `words` occur in `haystack` in this order (other text may come between).
fn in_order(haystack: &str, words: &[&str]) -> bool {
    let mut rest = haystack;
    for word in words {
        match rest.find(word) {
            Some(at) => rest = &rest[at + word.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn a_long_quote_reads_back_complete_over_several_pages() {
    let doc = quote(80);
    let text = text(&render(&doc));
    let pages = pages(&text);
    let n = pages.len();
    assert!(n >= 3, "81 rows should need at least three pages, got {n}");
    assert_eq!(n, page_count(&doc));

    for expected in [
        "Cotización Q-2026-0007",
        "Ferretería Núñez Ltda.",
        "Válida hasta",
        "Bogotá",
        "¿Preguntas? ¡Escríbanos!",
        "el pago en € se liquida",
        "Estimado señor Núñez: según lo conversado, ésta es",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for i in 1..=80 {
        assert!(text.contains(&description(i)), "row {i} missing");
    }
    assert!(in_order(&text, &["Subtotal", "$ 12.345.600", "IVA 19 %", "$ 2.345.664", "Total", "$ 14.691.264"]));
    for page in 1..=n {
        let label = format!("Página {page} de {n}");
        assert!(pages[page - 1].contains(&label), "page {page} lacks {label:?}");
    }
}

#[test]
fn the_header_row_and_letterhead_repeat_on_every_page() {
    let text = text(&render(&quote(80)));
    let pages = pages(&text);
    assert!(pages.len() >= 2);
    for (i, page) in pages.iter().enumerate() {
        // The last page may hold only the totals and notes.
        if page.contains("Sesión de soporte") {
            assert!(in_order(page, &["Descripción", "Cantidad", "Valor unitario", "Valor total"]), "page {}", i + 1);
        }
        assert!(page.contains("Soluciones Andinas S.A.S."), "letterhead missing on page {}", i + 1);
    }
    assert!(pages[1].contains("Descripción"), "page 2 must repeat the header row");
    assert_eq!(text.matches("Cotización Q-2026-0007").count(), 1, "the title is on the first page only");
}

#[test]
fn a_wrapped_description_keeps_every_word_on_one_page() {
    let text = text(&render(&quote(80)));
    let words: Vec<&str> = LONG.split_whitespace().collect();
    let page = pages(&text).into_iter().find(|p| p.contains(words[0])).expect("first word printed");
    assert!(in_order(page, &words), "words lost or reordered:\n{page}");
    // It really wrapped: the description spans several lines of the text.
    let lines_with_words = page.lines().filter(|l| words.iter().any(|w| w.len() > 8 && l.contains(w))).count();
    assert!(lines_with_words >= 3, "{lines_with_words}");
}

#[test]
fn rows_are_never_split_across_pages() {
    // Move the long row to each position around the first page break: it always lands whole.
    for rows in 30..50 {
        let mut doc = quote(rows);
        let long = doc.table.rows.remove(5);
        doc.table.rows.insert(rows - 8, long);
        let text = text(&render(&doc));
        let words: Vec<&str> = LONG.split_whitespace().collect();
        let holders = pages(&text).into_iter().filter(|p| p.contains(words[0]) || p.contains("contraseñas.")).count();
        assert_eq!(holders, 1, "with {rows} rows the long description was split");
    }
}

#[test]
fn amounts_are_right_aligned() {
    let html = poppler("pdftotext", &["-bbox", "-enc", "UTF-8"], &render(&quote(12)));
    // Amount cells of the last column are the only words made of digits alone.
    let right_edges: Vec<f32> = html
        .lines()
        .filter(|l| l.contains("<word"))
        .filter_map(|l| {
            let word = l.split('>').nth(1)?.split('<').next()?;
            let x_max: f32 = l.split("xMax=\"").nth(1)?.split('"').next()?.parse().ok()?;
            (word.len() >= 5 && word.chars().all(|c| c.is_ascii_digit())).then_some(x_max)
        })
        .collect();
    assert!(right_edges.len() >= 12, "{right_edges:?}");
    let (min, max) = right_edges.iter().fold((f32::MAX, f32::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    assert!(max - min < 0.5, "right edges differ: {right_edges:?}");
    // And they end at the right margin (A4 width 595.28 minus 18 mm, minus the cell padding).
    assert!((max - (595.28 - 51.02 - 5.0)).abs() < 1.0, "{max}");
}

#[test]
fn characters_outside_winansi_become_question_marks() {
    let mut doc = quote(3);
    doc.notes = vec!["Emoji 😀 y 中文 fin".into()];
    doc.meta.push(("Contacto".into(), "Zoë Łukasz".into()));
    let pdf = render(&doc);
    let text = text(&pdf);
    assert!(text.contains("Emoji ? y ?? fin"), "{text}");
    assert!(text.contains("Zoë ?ukasz"), "{text}");
    assert!(!pdf.windows(4).any(|w| w == "😀".as_bytes()), "raw UTF-8 leaked into the file");
}

#[test]
fn rendering_is_deterministic() {
    let doc = quote(80);
    let first = render(&doc);
    assert_eq!(first, render(&doc));
    assert!(!first.windows(12).any(|w| w == b"CreationDate"), "no date unless the caller gives one");

    let mut dated = doc.clone();
    dated.creation_date =
        Some(PdfDate { year: 2026, month: 3, day: 3, hour: 14, minute: 5, second: 9, utc_offset_minutes: -300 });
    let bytes = render(&dated);
    assert_eq!(bytes, render(&dated));
    assert!(bytes.windows(16).any(|w| w == b"D:20260303140509"), "creation date missing");
}

#[test]
fn document_information_and_language_are_set() {
    let pdf = render(&quote(3));
    let info = poppler("pdfinfo", &["-enc", "UTF-8"], &pdf);
    assert!(info.lines().any(|l| l.starts_with("Title:") && l.ends_with("Cotización Q-2026-0007")), "{info}");
    assert!(info.lines().any(|l| l.starts_with("Producer:") && l.ends_with("Alcance")), "{info}");
    assert!(info.lines().any(|l| l.starts_with("Page size:") && l.contains("(A4)")), "{info}");
    assert!(pdf.windows(13).any(|w| w == b"/Lang (es-CO)"), "language missing");
}

#[test]
fn an_empty_document_still_renders_one_page() {
    let doc =
        Document { table: Table::default(), meta: vec![], intro: vec![], totals: vec![], notes: vec![], ..quote(0) };
    let text = text(&render(&doc));
    assert_eq!(pages(&text).len(), 1);
    assert!(text.contains("Página 1 de 1"));
}

#[test]
fn a_row_taller_than_a_page_continues_on_the_next_with_every_word() {
    let words: Vec<String> = (1..=900).map(|i| format!("p{i:04}x")).collect();
    let mut doc = quote(3);
    doc.table.rows.insert(1, vec![words.join(" "), "1".into(), "1".into(), "1".into()]);
    let text = text(&render(&doc));
    let pages = pages(&text);
    assert!(pages.len() >= 2, "{}", pages.len());
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    assert!(in_order(&text, &refs), "words lost or reordered");
    assert!(pages[1].contains("Descripción"), "the continued row gets the header row again");
    assert!(text.contains(&description(3)), "rows after the tall one follow");
}
