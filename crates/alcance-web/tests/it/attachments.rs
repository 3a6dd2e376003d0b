//! Attachments: upload as the raw body, download as a download, nothing more.

use alcance_testkit::{TestBackend, on_both_backends};
use serde_json::Value;

use crate::support::{MAX_ATTACHMENT, event_kinds, spawn_app};

on_both_backends!(upload_and_download_round_trip, limits_and_names, hidden_attachments);

/// Bytes that break text handling: NUL, 0xFF, invalid UTF-8, CR/LF.
fn binary(len: usize) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0x00, 0xff, 0xfe, 0xc3, 0x28];
    bytes.extend((0..len.saturating_sub(bytes.len())).map(|i| (i * 7 % 256) as u8));
    bytes.truncate(len);
    bytes
}

fn names(detail: &Value) -> Vec<String> {
    detail["attachments"].as_array().unwrap().iter().map(|a| a["file_name"].as_str().unwrap().to_owned()).collect()
}

async fn upload_and_download_round_trip(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let content = binary(5000);
    let r = t.upload(fx.ticket_a, &fx.requester_a.token, "filename=captura.png", "image/png", content.clone()).await;
    let attachment = r.expect(201);
    assert_eq!(attachment["file_name"], "captura.png");
    assert_eq!(attachment["content_type"], "image/png");
    assert_eq!(attachment["size_bytes"], 5000);
    assert_eq!(attachment["internal"], false);
    assert_eq!(attachment["uploader_id"], fx.requester_a.id());
    assert_eq!(attachment["sha256"].as_str().unwrap().len(), 64);
    let id = attachment["id"].as_i64().unwrap();
    let url = attachment["url"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("/api/v1/attachments/{id}"));

    for who in [&fx.requester_a, &fx.manager_a, &fx.agent] {
        let download = t.get(&url, &who.token).await;
        assert_eq!(download.status, 200, "{}", download.text());
        assert!(download.bytes == content, "identical bytes for {}", who.email());
        assert_eq!(download.header("content-type"), Some("image/png"));
        let disposition = download.header("content-disposition").unwrap_or_default();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(disposition.contains("captura.png"), "{disposition}");
        assert_eq!(download.header("x-content-type-options"), Some("nosniff"));
    }

    let detail = t.ticket(fx.ticket_a, &fx.requester_a.token).await;
    assert!(names(&detail).contains(&"captura.png".to_owned()));
    assert!(event_kinds(&detail).contains(&"attachment_added".to_owned()));

    // A name outside ASCII survives in filename*, and the plain one stays ASCII.
    let r = t
        .upload(fx.ticket_a, &fx.agent.token, "filename=informe%20a%C3%B1o.pdf", "application/pdf", b"%PDF".to_vec())
        .await;
    let id = r.expect(201)["id"].as_i64().unwrap();
    let download = t.get(&format!("/api/v1/attachments/{id}"), &fx.requester_a.token).await;
    assert_eq!(download.expect_bytes(), b"%PDF");
    let disposition = download.header("content-disposition").unwrap_or_default();
    assert!(disposition.contains("filename*=UTF-8''informe%20a%C3%B1o.pdf"), "{disposition}");

    // Without a content type the file is stored as generic bytes.
    let r = t
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{}/attachments?filename=datos.bin", fx.ticket_a),
            crate::support::Req { token: Some(&fx.agent.token), raw: Some(vec![0, 0, 0]), ..Default::default() },
        )
        .await;
    assert_eq!(r.expect(201)["content_type"], "application/octet-stream");
}

async fn limits_and_names(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;
    let token = fx.requester_a.token.as_str();
    let count = t.ticket(fx.ticket_a, token).await["attachments"].as_array().unwrap().len();

    let at_limit =
        t.upload(fx.ticket_a, token, "filename=justo.bin", "application/octet-stream", binary(MAX_ATTACHMENT)).await;
    assert_eq!(at_limit.expect(201)["size_bytes"], MAX_ATTACHMENT);
    let over = t
        .upload(fx.ticket_a, token, "filename=grande.bin", "application/octet-stream", binary(MAX_ATTACHMENT + 1))
        .await;
    over.problem(413, "payload_too_large", None);

    let r = t.upload(fx.ticket_a, token, "filename=..%2F..%2Fx.txt", "text/plain", b"x".to_vec()).await;
    assert_eq!(r.expect(201)["file_name"], "x.txt");
    let r = t.upload(fx.ticket_a, token, "filename=C%3A%5Cfotos%5Cpantallazo.png", "image/png", b"x".to_vec()).await;
    assert_eq!(r.expect(201)["file_name"], "pantallazo.png");

    let r = t.upload(fx.ticket_a, token, "filename=..", "text/plain", b"x".to_vec()).await;
    r.problem(422, "invalid_field", Some("filename"));
    let r = t.upload(fx.ticket_a, token, "filename=", "text/plain", b"x".to_vec()).await;
    r.problem(422, "invalid_field", Some("filename"));
    let r = t.upload(fx.ticket_a, token, "other=1", "text/plain", b"x".to_vec()).await;
    assert_eq!(r.problem(422, "invalid_field", Some("filename"))["field_code"], "required");
    let r = t.upload(fx.ticket_a, token, "filename=vacio.txt", "text/plain", Vec::new()).await;
    assert_eq!(r.problem(422, "invalid_field", Some("file"))["field_code"], "required");
    let r = t.upload(fx.ticket_a, token, "filename=x.txt", "sin-barra", b"x".to_vec()).await;
    r.problem(422, "invalid_field", Some("content_type"));
    let r = t.upload(fx.ticket_a, token, "filename=x.txt&internal=si", "text/plain", b"x".to_vec()).await;
    r.problem(422, "invalid_field", Some("internal"));

    let detail = t.ticket(fx.ticket_a, token).await;
    assert_eq!(detail["attachments"].as_array().unwrap().len(), count + 3, "{:?}", names(&detail));
    assert!(names(&detail).iter().all(|n| !n.contains('/') && !n.contains('\\')));
}

async fn hidden_attachments(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let fx = &t.fx;

    // Another organisation's attachment looks exactly like a missing one.
    let foreign = t.get(&format!("/api/v1/attachments/{}", fx.attachment_b), &fx.requester_a.token).await;
    foreign.problem(404, "not_found", None);
    assert!(foreign.bytes != b"registro", "no bytes leak");
    let missing = t.get("/api/v1/attachments/999999", &fx.requester_a.token).await;
    assert_eq!(foreign.json(), missing.json());
    t.get(&format!("/api/v1/attachments/{}", fx.attachment_b), &fx.manager_a.token).await.problem(
        404,
        "not_found",
        None,
    );
    assert_eq!(
        t.get(&format!("/api/v1/attachments/{}", fx.attachment_b), &fx.manager_b.token).await.expect_bytes(),
        b"registro"
    );

    // A contact cannot upload internal files; staff can, and contacts never see them.
    let r =
        t.upload(fx.ticket_a, &fx.requester_a.token, "filename=x.txt&internal=true", "text/plain", b"x".to_vec()).await;
    assert_eq!(r.problem(422, "invalid_field", Some("internal"))["field_code"], "not_allowed");
    let r = t
        .upload(
            fx.ticket_a,
            &fx.agent.token,
            "filename=diagnostico.txt&internal=true",
            "text/plain",
            b"interno".to_vec(),
        )
        .await;
    let internal = r.expect(201);
    assert_eq!(internal["internal"], true);
    let url = internal["url"].as_str().unwrap().to_owned();

    for contact in [&fx.requester_a, &fx.manager_a] {
        t.get(&url, &contact.token).await.problem(404, "not_found", None);
        let view = t.ticket(fx.ticket_a, &contact.token).await;
        assert_eq!(names(&view), ["a.txt"], "{} sees only the public file", contact.email());
        assert!(!view.to_string().contains("diagnostico"), "no event names it: {view}");
    }
    assert_eq!(t.get(&url, &fx.agent.token).await.expect_bytes(), b"interno");
    let staff_view = t.ticket(fx.ticket_a, &fx.admin.token).await;
    assert_eq!(names(&staff_view), ["a.txt", "diagnostico.txt"]);

    // Uploading to a ticket one cannot see is not-found, and writes nothing.
    let r = t.upload(fx.ticket_b, &fx.requester_a.token, "filename=x.txt", "text/plain", b"x".to_vec()).await;
    r.problem(404, "not_found", None);
    let r = t.upload(fx.ticket_a2, &fx.requester_a.token, "filename=x.txt", "text/plain", b"x".to_vec()).await;
    r.problem(404, "not_found", None);
    assert_eq!(names(&t.ticket(fx.ticket_b, &fx.admin.token).await), ["b.txt"]);
    assert_eq!(names(&t.ticket(fx.ticket_a2, &fx.admin.token).await), ["a2.txt"]);
}
