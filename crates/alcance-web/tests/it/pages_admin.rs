//! Pages of the admin area, through HTTP as a browser would send them: a cookie session,
//! URL-encoded forms with the CSRF token, 303 redirects followed by hand.

use alcance_app::{account, auth, directory};
use alcance_testkit::{TestBackend, on_both_backends};
use reqwest::header::{CONTENT_TYPE, COOKIE};

use crate::browser::{Browser, PASSWORD, answer, client, encode, login};
use crate::support::{TestApp, spawn_app};

on_both_backends!(
    admin_pages_are_for_admins_only,
    admin_creates_organizations_contracts_and_assets,
    admin_sets_a_contracts_working_hours,
    admin_invites_a_user_who_sets_a_password_and_signs_in,
    admin_deactivation_ends_the_session,
    admin_forms_refuse_a_missing_csrf_token,
    admin_token_page_shows_a_working_token_once,
    admin_token_page_lists_and_revokes_tokens,
    admin_policy_page_reads_the_policy,
);

const PAGES: &[&str] = &[
    "/admin",
    "/admin/organizations",
    "/admin/users",
    "/admin/contracts",
    "/admin/assets",
    "/admin/policy",
    "/admin/tokens",
    "/admin/outbox",
];

#[track_caller]
fn assert_page_shape(html: &str, lang: &str) {
    assert!(html.contains(&format!("<html lang=\"{lang}\"")), "lang attribute");
    assert_eq!(html.matches("<h1").count(), 1, "one h1: {html}");
    assert!(html.contains("class=\"admin-subnav\""), "the admin sub-navigation");
    assert!(!html.contains("style=\""), "no inline styles");
    assert!(!html.contains("<script>"), "no inline scripts");
}

async fn admin_pages_are_for_admins_only(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let manager = Browser::sign_in(&t, t.fx.manager_a.email()).await;
    let requester = Browser::sign_in(&t, t.fx.requester_a.email()).await;
    for path in PAGES {
        let page = admin.get(path).await;
        assert_page_shape(page.ok(), "es");
        assert_eq!(agent.get(path).await.status, 403, "agent on {path}");
        assert_eq!(manager.get(path).await.status, 404, "manager on {path}");
        assert_eq!(requester.get(path).await.status, 404, "requester on {path}");
        let signed_out = answer(client().get(t.url(path)).send().await.unwrap()).await;
        assert!(signed_out.see_other().starts_with("/login?next=/admin"), "signed out on {path}");
    }
    // The same holds for the forms, even with a valid token of the caller's own session.
    let before = directory::list_orgs(&t.app, &t.fx.admin.actor()).await.unwrap().len();
    let csrf = agent.csrf("/admin").await;
    let form =
        [("csrf_token", csrf.as_str()), ("name", "Intrusa"), ("slug", "intrusa"), ("time_zone", "America/Bogota")];
    assert_eq!(agent.post("/admin/organizations", &form).await.status, 403);
    let csrf = manager.csrf("/admin").await;
    let form =
        [("csrf_token", csrf.as_str()), ("name", "Intrusa"), ("slug", "intrusa"), ("time_zone", "America/Bogota")];
    assert_eq!(manager.post("/admin/organizations", &form).await.status, 404);
    assert_eq!(directory::list_orgs(&t.app, &t.fx.admin.actor()).await.unwrap().len(), before);

    // The overview counts what exists and links to each section.
    let overview = admin.get("/admin").await;
    let html = overview.ok();
    for link in ["/admin/organizations", "/admin/users", "/admin/contracts", "/admin/assets", "/admin/policy"] {
        assert!(html.contains(&format!("href=\"{link}\"")), "link to {link}");
    }
    assert!(html.contains("<span class=\"admin-stat-number\">7</span>"), "seven users: {html}");
    assert!(html.contains("aria-current=\"page\">Resumen</a>"), "current section marked");
}

async fn admin_creates_organizations_contracts_and_assets(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;

    // Organisation: created, listed, and its name escaped.
    let form = [("name", "<script>alert(1)</script> Cámara C"), ("slug", "camara-c"), ("time_zone", "America/Bogota")];
    let page = admin.submit("/admin/organizations", &form).await;
    assert_eq!(page.see_other(), "/admin/organizations?msg=org_created");
    let list = admin.get("/admin/organizations?msg=org_created").await;
    let html = list.ok();
    assert!(html.contains("La organización quedó creada."), "confirmation");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62; Cámara C"), "escaped name");
    assert!(!html.contains("<script>alert(1)"), "never raw");
    assert!(html.contains("<code>camara-c</code>"));
    // An unknown message key shows nothing and echoes nothing.
    let html = admin.get("/admin/organizations?msg=%3Cb%3Ehola").await.ok().to_owned();
    assert!(!html.contains("alert-ok") && !html.contains("<b>hola"));

    // A bad slug comes back with the input kept and the error next to the field.
    let form = [("name", "Cámara D"), ("slug", "Cámara D"), ("time_zone", "America/Bogota")];
    let page = admin.submit("/admin/organizations", &form).await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("aria-describedby=\"org-slug-hint org-slug-error\" aria-invalid=\"true\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"org-slug-error\""));
    assert!(page.body.contains("value=\"Cámara D\""), "input kept");
    // A taken slug and an unknown zone too.
    let form = [("name", "Otra"), ("slug", "org-a"), ("time_zone", "America/Bogota")];
    let page = admin.submit("/admin/organizations", &form).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Ya existe un registro"), "{}", page.body);
    let form = [("name", "Otra"), ("slug", "otra"), ("time_zone", "America/Bogata")];
    assert_eq!(admin.submit("/admin/organizations", &form).await.status, 422);

    // Contract: pesos as people type them, IVA in percent, the default policy.
    let form = [
        ("organization", "camara-c"),
        ("name", "Soporte 2026"),
        ("starts_on", "2026-02-01"),
        ("ends_on", "2027-01-31"),
        ("hourly_rate", "$ 180.000"),
        ("tax_percent", "19"),
        ("allow_overdraft", "1"),
    ];
    let page = admin.submit("/admin/contracts", &form).await;
    assert_eq!(page.see_other(), "/admin/contracts?msg=contract_created");
    let contracts = directory::list_contracts(&t.app, &t.fx.admin.actor(), Some("camara-c")).await.unwrap();
    assert_eq!(contracts.len(), 1);
    let contract = &contracts[0];
    assert_eq!(contract.hourly_rate_minor, 180_000);
    assert_eq!(contract.tax_rate_basis_points, 1900);
    assert!(contract.allow_overdraft);
    assert_eq!(contract.policy_id, t.app.policies.default_id());
    let html = admin.get("/admin/contracts").await.ok().to_owned();
    assert!(html.contains("Soporte 2026"));
    assert!(html.contains("$ 180.000"), "Colombian money");
    assert!(html.contains("19 %"));
    assert!(html.contains("01/02/2026 a 31/01/2027"), "dates as written in Colombia");
    assert!(html.contains("igniweb-soporte v1"));
    // An end before the start, and a rate with cents, are refused next to their fields.
    let mut bad = form;
    bad[3] = ("ends_on", "2025-01-01");
    let page = admin.submit("/admin/contracts", &bad).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"contract-ends-error\""), "{}", page.body);
    let mut bad = form;
    bad[4] = ("hourly_rate", "150000,50");
    let page = admin.submit("/admin/contracts", &bad).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"contract-rate-error\""));
    assert!(page.body.contains("value=\"150000,50\""), "input kept");
    assert_eq!(directory::list_contracts(&t.app, &t.fx.admin.actor(), Some("camara-c")).await.unwrap().len(), 1);

    // Asset.
    let form = [
        ("organization", "camara-c"),
        ("kind", "server"),
        ("name", "Servidor principal"),
        ("url", "https://c.example.co"),
        ("description", "VPS con <b>PHP</b> 8.2"),
    ];
    let page = admin.submit("/admin/assets", &form).await;
    assert_eq!(page.see_other(), "/admin/assets?msg=asset_created");
    let html = admin.get("/admin/assets?msg=asset_created").await.ok().to_owned();
    assert!(html.contains("El activo quedó creado."));
    assert!(html.contains("Servidor principal"));
    assert!(html.contains(">Servidor</span>"), "kind label");
    assert!(html.contains("href=\"https://c.example.co\""));
    assert!(html.contains("VPS con &#60;b&#62;PHP&#60;/b&#62; 8.2"), "escaped description");
    let bad = [("organization", "camara-c"), ("kind", "server"), ("name", "X"), ("url", "javascript:alert(1)")];
    let page = admin.submit("/admin/assets", &bad).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"asset-url-error\""));
    let page = admin.submit("/admin/assets", &[("kind", "server"), ("name", "Sin organización")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"asset-org-error\""));
    assert_eq!(directory::list_assets(&t.app, &t.fx.admin.actor(), Some("camara-c")).await.unwrap().len(), 1);
}

/// The path of the reset link in a message body.
fn reset_path(body: &str) -> String {
    let start = body.find("/reset/").unwrap_or_else(|| panic!("no reset link in {body}"));
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn admin_sets_a_contracts_working_hours(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let id = t.fx.contract_a.id;
    let stored = || async {
        directory::working_hours_of(&t.app, std::slice::from_ref(&t.fx.contract_a)).await.unwrap().remove(&id)
    };
    let html = admin.get("/admin/contracts").await.ok().to_owned();
    assert!(html.contains("id=\"working-hours\"") && html.contains("Horario de atención"), "{html}");
    assert!(html.contains(&format!("action=\"/admin/contracts/{id}/hours\"")));
    assert!(
        html.contains(&format!("id=\"hours-{id}\" name=\"working_hours\" type=\"text\" value=\"\"")),
        "default: empty"
    );
    assert!(html.contains("placeholder=\"lun-vie 08:00-18:00\""), "the default week as the placeholder");

    // Saved, in the canonical form, and shown back.
    let path = format!("/admin/contracts/{id}/hours");
    let page =
        admin.submit(&path, &[("working_hours", "Lunes-Viernes 8:00-12:00, 14:00-18:00; Sábado 8:00-12:00")]).await;
    assert_eq!(page.see_other(), "/admin/contracts?msg=hours_saved#working-hours");
    let canonical = "lun-vie 08:00-12:00,14:00-18:00; sáb 08:00-12:00";
    assert_eq!(stored().await.as_deref(), Some(canonical));
    let html = admin.get("/admin/contracts?msg=hours_saved").await.ok().to_owned();
    assert!(html.contains(&format!("value=\"{canonical}\"")), "{html}");
    assert!(html.contains("El horario quedó guardado"));
    let english = admin.get_with("/admin/contracts", "alcance_lang=en").await.ok().to_owned();
    assert!(english.contains("value=\"mon-fri 08:00-12:00,14:00-18:00; sat 08:00-12:00\""), "in the page's language");

    // Refused with what is wrong, the text kept, nothing changed.
    let page = admin.submit(&path, &[("working_hours", "lun-vir 08:00-18:00")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains(&format!("id=\"hours-{id}-error\"")), "{}", page.body);
    assert!(page.body.contains("«vir» no es un día de la semana"), "{}", page.body);
    assert!(page.body.contains("value=\"lun-vir 08:00-18:00\""), "input kept");
    assert!(page.body.contains("aria-invalid=\"true\""));
    let page = admin.submit(&path, &[("working_hours", "lun 08:00-12:00,11:00-13:00")]).await;
    assert!(page.status == 422 && page.body.contains("Los horarios del lunes se cruzan"), "{}", page.body);
    account::set_language(&t.app, &t.fx.admin.actor(), "en").await.unwrap();
    let page = admin.submit(&path, &[("working_hours", "mon 18:00-08:00")]).await;
    assert!(page.status == 422 && page.body.contains("is not a valid time range. Write HH:MM-HH:MM"), "{}", page.body);
    account::set_language(&t.app, &t.fx.admin.actor(), "es").await.unwrap();
    assert_eq!(stored().await.as_deref(), Some(canonical), "refused texts changed nothing");

    // Emptied: back to the default week.
    let page = admin.submit(&path, &[("working_hours", "")]).await;
    assert_eq!(page.see_other(), "/admin/contracts?msg=hours_saved#working-hours");
    assert_eq!(stored().await, None);

    // A new contract may get its hours at once; a bad text refuses the whole form.
    let mut form = vec![
        ("organization", t.fx.org_b.slug.as_str()),
        ("name", "Soporte sábados"),
        ("starts_on", "2026-03-01"),
        ("hourly_rate", "150000"),
        ("tax_percent", "19"),
        ("working_hours", "lun-sáb 07:00-13:00"),
    ];
    let page = admin.submit("/admin/contracts", &form).await;
    assert_eq!(page.see_other(), "/admin/contracts?msg=contract_created");
    let all = directory::list_contracts(&t.app, &t.fx.admin.actor(), Some(&t.fx.org_b.slug)).await.unwrap();
    let hours = directory::working_hours_of(&t.app, &all).await.unwrap();
    assert_eq!(hours.values().collect::<Vec<_>>(), ["lun-sáb 07:00-13:00"]);
    form[1] = ("name", "Soporte roto");
    form[5] = ("working_hours", "sáb");
    let page = admin.submit("/admin/contracts", &form).await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("id=\"contract-hours-error\"") && page.body.contains("Falta el horario de «sáb»"),
        "{}",
        page.body
    );
    let after = directory::list_contracts(&t.app, &t.fx.admin.actor(), Some(&t.fx.org_b.slug)).await.unwrap();
    assert_eq!(after.len(), all.len(), "nothing created");

    // Agents may not.
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    assert_eq!(agent.submit(&path, &[("working_hours", "lun 08:00-09:00")]).await.status, 403);
    assert_eq!(stored().await, None);
}

async fn admin_invites_a_user_who_sets_a_password_and_signs_in(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let form = [
        ("email", "Nueva@A.co"),
        ("name", "Nueva <b>Persona</b>"),
        ("role", "requester"),
        ("organization", "org-a"),
        ("language", "en"),
    ];
    let page = admin.submit("/admin/users", &form).await;
    let target = page.see_other().to_owned();
    assert!(target.starts_with("/admin/users?msg=invited&user="), "{target}");
    let users = directory::list_users(&t.app, &t.fx.admin.actor(), Some("org-a")).await.unwrap();
    let invited = users.iter().find(|u| u.email == "nueva@a.co").unwrap();
    assert_eq!(invited.organization_id, Some(t.fx.org_a.id));
    assert_eq!(invited.language, "en");

    let html = admin.get(&target).await.ok().to_owned();
    assert!(html.contains("Invitación enviada a nueva@a.co"), "{html}");
    assert!(html.contains("href=\"/admin/outbox\""), "points at the outbox");
    assert!(html.contains("Nueva &#60;b&#62;Persona&#60;/b&#62;"), "escaped in the list");

    // The invitation waits in the outbox, in the invited person's language, with the link.
    let outbox = account::outbox(&t.app, &t.fx.admin.actor()).await.unwrap();
    let mail = outbox.iter().find(|m| m.to_address == "nueva@a.co").unwrap();
    assert!(mail.subject.contains("help desk"), "English subject: {}", mail.subject);
    assert!(mail.body_text.contains("2 hours"), "{}", mail.body_text);
    let link = reset_path(&mail.body_text);
    let html = admin.get("/admin/outbox").await.ok().to_owned();
    assert_page_shape(&html, "es");
    assert!(html.contains(&mail.subject));
    assert!(html.contains(&link), "the link can be read in the outbox");
    assert!(html.contains("<div class=\"admin-mail-body\">"));
    assert!(html.contains("Nueva &#60;b&#62;Persona&#60;/b&#62;"), "the body is escaped");
    assert!(html.contains("SMTP"), "explains why messages wait");

    // The invited person follows the link, sets a password and signs in.
    assert!(login(&t, "nueva@a.co", "mi clave nueva 2026").await.is_none(), "no password yet");
    let reset = answer(client().get(t.url(&link)).send().await.unwrap()).await;
    assert!(reset.ok().contains("name=\"password\""));
    let done = client()
        .post(t.url(&link))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(encode(&[("password", "mi clave nueva 2026")]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(done).await.see_other(), "/login?msg=password_changed");
    let cookie = login(&t, "nueva@a.co", "mi clave nueva 2026").await.expect("the invited user signs in");
    let home = answer(client().get(t.url("/")).header(COOKIE, &cookie).send().await.unwrap()).await;
    assert_eq!(home.see_other(), "/portal");

    // Staff have no organisation, contacts need one: said next to the field.
    let staff = [("email", "agente2@agencia.co"), ("name", "Agente 2"), ("role", "agent"), ("organization", "org-a")];
    let page = admin.submit("/admin/users", &staff).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Los agentes y administradores no pertenecen a una organización"), "{}", page.body);
    assert!(page.body.contains("id=\"invite-org-error\""));
    assert!(page.body.contains("value=\"agente2@agencia.co\""), "input kept");
    let contact = [("email", "sin@a.co"), ("name", "Sin org"), ("role", "manager"), ("organization", "")];
    assert_eq!(admin.submit("/admin/users", &contact).await.status, 422);
    let taken =
        [("email", t.fx.requester_a.email()), ("name", "Otra"), ("role", "requester"), ("organization", "org-a")];
    let page = admin.submit("/admin/users", &taken).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"invite-email-error\""));
    let all = directory::list_users(&t.app, &t.fx.admin.actor(), None).await.unwrap();
    assert!(!all.iter().any(|u| u.email == "agente2@agencia.co" || u.email == "sin@a.co"));

    // The filter by organisation.
    let html = admin.get("/admin/users?org=org-b").await.ok().to_owned();
    assert!(html.contains(t.fx.requester_b.email()) && !html.contains(t.fx.requester_a.email()));
    assert_eq!(admin.get("/admin/users?org=nope").await.status, 404);

    // A reset link for an existing user uses the ordinary reset wording.
    let id = t.fx.requester_a2.id().to_string();
    let page = admin.submit(&format!("/admin/users/{id}/reset-password"), &[("org", "org-a")]).await;
    assert_eq!(page.see_other(), format!("/admin/users?msg=reset_sent&user={id}&org=org-a"));
    let outbox = account::outbox(&t.app, &t.fx.admin.actor()).await.unwrap();
    let mail = outbox.iter().find(|m| m.to_address == t.fx.requester_a2.email()).unwrap();
    assert_eq!(mail.subject, "Restablecer su contraseña");
    assert!(mail.body_text.contains("/reset/"));
}

async fn admin_deactivation_ends_the_session(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let requester = Browser::sign_in(&t, t.fx.requester_a.email()).await;
    assert_eq!(requester.get("/").await.see_other(), "/portal", "signed in");

    let id = t.fx.requester_a.id();
    let page = admin.submit(&format!("/admin/users/{id}/deactivate"), &[]).await;
    assert_eq!(page.see_other(), format!("/admin/users?msg=deactivated&user={id}"));
    let html = admin.get(page.see_other()).await.ok().to_owned();
    assert!(html.contains("Se desactivó la cuenta de Ana"), "{html}");
    assert!(html.contains(&format!("action=\"/admin/users/{id}/activate\"")), "can be activated again");

    // Their cookie no longer works, nor their password or API token.
    assert!(requester.get("/admin").await.see_other().starts_with("/login"));
    assert_eq!(requester.get("/").await.see_other(), "/login");
    assert!(login(&t, t.fx.requester_a.email(), PASSWORD).await.is_none());
    assert_eq!(t.get("/api/v1/me", &t.fx.requester_a.token).await.status, 401);

    // An admin cannot deactivate themselves: told so, and still active.
    let own = t.fx.admin.id();
    let page = admin.submit(&format!("/admin/users/{own}/deactivate"), &[]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("No puede desactivar su propia cuenta"), "{}", page.body);
    assert_eq!(admin.get("/admin").await.status, 200);

    // Activated again, they can sign in again.
    let page = admin.submit(&format!("/admin/users/{id}/activate"), &[]).await;
    assert_eq!(page.see_other(), format!("/admin/users?msg=activated&user={id}"));
    assert!(login(&t, t.fx.requester_a.email(), PASSWORD).await.is_some());
    assert_eq!(admin.submit("/admin/users/999999/deactivate", &[]).await.status, 404);
}

async fn admin_forms_refuse_a_missing_csrf_token(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let actor = t.fx.admin.actor();
    let (orgs, users) = (
        directory::list_orgs(&t.app, &actor).await.unwrap().len(),
        directory::list_users(&t.app, &actor, None).await.unwrap().len(),
    );
    let id = t.fx.requester_a.id();
    let token_id = token_of(&t, id).await;
    // The fixtures' requests were acknowledged by e-mail already.
    let mails = account::outbox(&t.app, &actor).await.unwrap().len();
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/admin/organizations".into(), vec![("name", "Sin token"), ("slug", "sin-token")]),
        ("/admin/users".into(), vec![("email", "sin@token.co"), ("name", "Sin token"), ("role", "agent")]),
        (
            "/admin/contracts".into(),
            vec![("organization", "org-a"), ("name", "Sin token"), ("starts_on", "2026-01-01"), ("hourly_rate", "1")],
        ),
        ("/admin/assets".into(), vec![("organization", "org-a"), ("kind", "server"), ("name", "Sin token")]),
        ("/admin/tokens".into(), vec![("user", t.fx.admin.email()), ("label", "Sin token")]),
        (format!("/admin/users/{id}/deactivate"), vec![]),
        (format!("/admin/users/{id}/reset-password"), vec![]),
        (format!("/admin/tokens/{token_id}/revoke"), vec![]),
    ];
    for (path, pairs) in &forms {
        let page = admin.post(path, pairs).await;
        assert_eq!(page.status, 403, "{path} without a token");
        assert!(page.body.contains("El formulario venció"), "{path}: {}", page.body);
        let mut wrong = vec![("csrf_token", "no-es-el-token")];
        wrong.extend_from_slice(pairs);
        assert_eq!(admin.post(path, &wrong).await.status, 403, "{path} with a wrong token");
    }
    assert_eq!(directory::list_orgs(&t.app, &actor).await.unwrap().len(), orgs);
    assert_eq!(directory::list_users(&t.app, &actor, None).await.unwrap().len(), users);
    assert_eq!(directory::list_contracts(&t.app, &actor, Some("org-a")).await.unwrap().len(), 1);
    assert_eq!(directory::list_assets(&t.app, &actor, Some("org-a")).await.unwrap().len(), 1);
    assert_eq!(account::outbox(&t.app, &actor).await.unwrap().len(), mails, "no mail sent");
    assert_eq!(t.get("/api/v1/me", &t.fx.requester_a.token).await.status, 200, "still active, token not revoked");
}

async fn admin_token_page_shows_a_working_token_once(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let html = admin.get("/admin/tokens").await.ok().to_owned();
    assert!(html.contains(&format!("<option value=\"{}\"", t.fx.manager_b.email())), "users to choose from");
    assert!(!html.contains("readonly"), "no token before one is created");

    let form = [("user", t.fx.manager_b.email()), ("label", "Monitor <Cámara B>")];
    let page = admin.submit("/admin/tokens", &form).await;
    let html = page.ok().to_owned();
    assert_eq!(page.cache_control, "no-store");
    assert!(html.contains("no se volverá a mostrar"), "warned it is shown once");
    assert!(html.contains("Monitor &#60;Cámara B&#62;"), "escaped label");
    let start = html.find("readonly value=\"").unwrap() + "readonly value=\"".len();
    let token = &html[start..start + html[start..].find('"').unwrap()];
    assert!(token.starts_with("alc_"), "{token}");
    let me = t.get("/api/v1/me", token).await.expect(200);
    assert_eq!(me["email"], t.fx.manager_b.email());

    // Shown once: the page does not show it again.
    assert!(!admin.get("/admin/tokens").await.ok().contains(token));
    // A missing label comes back next to its field.
    let page = admin.submit("/admin/tokens", &[("user", t.fx.manager_b.email()), ("label", "")]).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"token-label-error\""));
}

/// The id of the (single) API token the fixtures gave this user.
async fn token_of(t: &TestApp, user_id: i64) -> i64 {
    let tokens = auth::list_tokens(&t.app, &t.fx.admin.actor()).await.unwrap();
    let mine: Vec<_> = tokens.iter().filter(|tok| tok.user_id == user_id).collect();
    assert_eq!(mine.len(), 1, "{tokens:?}");
    mine[0].id
}

async fn admin_token_page_lists_and_revokes_tokens(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let (ana, ana_token) = (&t.fx.requester_a, t.fx.requester_a.token.as_str());
    let ana_id = token_of(&t, ana.id()).await;
    auth::issue_token(&t.app, t.fx.manager_b.email(), "<script>alert(1)</script>").await.unwrap();

    // Every token is listed, with its person, label and state; never a secret.
    let html = admin.get("/admin/tokens").await.ok().to_owned();
    assert_page_shape(&html, "es");
    assert!(html.contains("<h2 id=\"tokens-list\">Tokens existentes</h2>"));
    assert!(html.contains("<span class=\"admin-email small\">Ana</span>"), "the person");
    assert!(html.contains("<span class=\"admin-email small\">ana@a.co</span>"), "their e-mail");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "escaped label");
    assert!(!html.contains("<script>alert(1)"), "never raw");
    assert_eq!(html.matches("class=\"badge admin-state-active\">Activo</span>").count(), 8, "7 fixtures + 1");
    assert_eq!(html.matches("action=\"/admin/tokens/").count(), 8, "a revoke button per active token");
    assert!(html.contains(&format!("action=\"/admin/tokens/{ana_id}/revoke\"")));
    assert_eq!(html.matches("<span class=\"muted\">Nunca</span>").count(), 8, "none used yet");
    assert!(!html.contains(ana_token) && !html.contains("alc_"), "no token is ever shown again");
    assert!(html.contains(">Revocar<span class=\"visually-hidden\">: pruebas · Ana</span>"), "button named");

    // Using a token shows on the page.
    assert_eq!(t.get("/api/v1/me", ana_token).await.status, 200);
    let html = admin.get("/admin/tokens").await.ok().to_owned();
    assert_eq!(html.matches("<span class=\"muted\">Nunca</span>").count(), 7, "Ana's token was used");
    let listed = auth::list_tokens(&t.app, &t.fx.admin.actor()).await.unwrap();
    assert!(listed.iter().find(|tok| tok.id == ana_id).unwrap().last_used_at.is_some());

    // Only an admin with the form's token may revoke.
    let revoke = format!("/admin/tokens/{ana_id}/revoke");
    assert_eq!(admin.post(&revoke, &[]).await.status, 403, "no CSRF token");
    assert_eq!(admin.post(&revoke, &[("csrf_token", "otro")]).await.status, 403, "wrong CSRF token");
    let agent = Browser::sign_in(&t, t.fx.agent.email()).await;
    let page = agent.submit(&revoke, &[]).await;
    assert_eq!(page.status, 403, "an agent: {}", page.body);
    let manager = Browser::sign_in(&t, t.fx.manager_a.email()).await;
    assert_eq!(manager.submit(&revoke, &[]).await.status, 404, "a client contact");
    assert_eq!(t.get("/api/v1/me", ana_token).await.status, 200, "still works");

    // Revoked: the API refuses it at once, and the list says so.
    let page = admin.submit(&revoke, &[]).await;
    assert_eq!(page.see_other(), format!("/admin/tokens?msg=revoked&token={ana_id}"));
    t.get("/api/v1/me", ana_token).await.problem(401, "unauthenticated", None);
    let html = admin.get(&page.location).await.ok().to_owned();
    assert!(
        html.contains("role=\"status\">Se revocó el token «pruebas» de Ana. Desde ahora la API lo rechaza.</div>"),
        "{html}"
    );
    assert_eq!(html.matches("class=\"badge admin-state-inactive\">Revocado</span>").count(), 1);
    assert_eq!(html.matches("class=\"badge admin-state-active\">Activo</span>").count(), 7);
    assert!(!html.contains(&format!("action=\"{revoke}\"")), "no button for a revoked token");
    assert_eq!(t.get("/api/v1/me", &t.fx.requester_a2.token).await.status, 200, "other tokens still work");

    // Again: nothing changes; an unknown token is not found; the query text is never echoed.
    assert_eq!(admin.submit(&revoke, &[]).await.see_other(), format!("/admin/tokens?msg=revoked&token={ana_id}"));
    assert_eq!(admin.submit("/admin/tokens/999999/revoke", &[]).await.status, 404);
    let html = admin.get("/admin/tokens?msg=%3Cb%3Ehola&token=1").await.ok().to_owned();
    assert!(!html.contains("role=\"status\"") && !html.contains("hola"), "unknown message keys are ignored");

    // In English.
    let english = client()
        .get(t.url("/admin/tokens"))
        .header(COOKIE, format!("{}; alcance_lang=en", admin.cookie))
        .send()
        .await
        .unwrap();
    let html = answer(english).await.ok().to_owned();
    assert_page_shape(&html, "en");
    assert!(html.contains(">Revoked</span>") && html.contains(">Active</span>") && html.contains(">Revoke<span"));
}

async fn admin_policy_page_reads_the_policy(backend: TestBackend) {
    let t = spawn_app(backend).await;
    let admin = Browser::sign_in(&t, t.fx.admin.email()).await;
    let html = admin.get("/admin/policy").await.ok().to_owned();
    assert!(html.contains("<code>igniweb-soporte</code>"));
    assert!(html.contains("Corrección de errores o fallas"));
    assert!(html.contains("class=\"badge coverage-covered\">Cubierta</span>"));
    assert!(html.contains("class=\"badge coverage-not_covered\">No cubierta</span>"));
    assert!(html.contains("Sección 1.1 de la política"));
    assert!(html.contains("Se puede pagar con paquete de horas"));
    assert!(html.contains("<code>new_feature</code>"));
    assert!(html.contains("class=\"badge priority-critical\">Crítica</span>"), "SLA table");
    assert_eq!(html.matches("<tr>").count(), 5, "a header and four priorities");

    // In English when the admin chooses it.
    let html = admin.get_with("/admin/policy", "alcance_lang=en").await.ok().to_owned();
    assert_page_shape(&html, "en");
    assert!(html.contains("Bug fixes"));
    assert!(html.contains("Section 1.1 of the policy"));
    assert!(html.contains(">Covered</span>"));
}
