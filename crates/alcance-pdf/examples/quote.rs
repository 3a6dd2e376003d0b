//! Writes a sample quote: `cargo run -p alcance-pdf --release --example quote -- out.pdf [rows]`.
//! Prints how long the render took, to keep an eye on cost.

use alcance_pdf::{Align, Brand, Column, Document, Table, TotalLine, render};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "quote.pdf".into());
    let rows: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(80);
    let doc = Document {
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
        intro: vec!["Estimado señor Núñez: según lo conversado, ésta es nuestra propuesta de soporte para 2026. \
                     Los valores no incluyen desplazamientos fuera del perímetro urbano."
            .into()],
        table: Table {
            columns: vec![
                Column { header: "Descripción".into(), align: Align::Left, width: 0.55 },
                Column { header: "Cantidad".into(), align: Align::Right, width: 0.12 },
                Column { header: "Valor unitario".into(), align: Align::Right, width: 0.16 },
                Column { header: "Valor total".into(), align: Align::Right, width: 0.17 },
            ],
            rows: (1..=rows)
                .map(|i| {
                    let description = if i % 7 == 3 {
                        format!("Paquete de {i} horas de soporte en sitio: diagnóstico, configuración de red, impresoras y equipos de cómputo, con informe escrito")
                    } else {
                        format!("Sesión de soporte remoto nº {i:02}")
                    };
                    vec![description, format!("{}", i % 4 + 1), "$ 85.000".into(), format!("$ {}.000", (i % 4 + 1) * 85)]
                })
                .collect(),
        },
        totals: vec![
            TotalLine { label: "Subtotal".into(), amount: "$ 12.345.600".into(), emphasis: false },
            TotalLine { label: "IVA 19 %".into(), amount: "$ 2.345.664".into(), emphasis: false },
            TotalLine { label: "Total".into(), amount: "$ 14.691.264".into(), emphasis: true },
        ],
        notes: vec![
            "¿Preguntas? ¡Escríbanos! Precios en pesos colombianos.".into(),
            "Esta cotización es válida por 30 días. Forma de pago: 50 % al aprobar, 50 % al entregar.".into(),
        ],
        footer: "Soluciones Andinas S.A.S. · NIT 900.123.456-7 · Régimen común".into(),
        page_label: "Página {page} de {pages}".into(),
        language: "es-CO".into(),
        creation_date: None,
    };
    let start = std::time::Instant::now();
    let runs = 100;
    let mut bytes = Vec::new();
    for _ in 0..runs {
        bytes = render(&doc);
    }
    let each = start.elapsed() / runs;
    std::fs::write(&path, &bytes)?;
    println!("{rows} rows: {} bytes, {each:?} per render (mean of {runs})", bytes.len());
    Ok(())
}
