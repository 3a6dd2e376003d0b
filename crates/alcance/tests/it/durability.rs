//! An acknowledged ticket survives kill -9 of the server.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alcance_store::Store;
use alcance_testkit::{TestBackend, TestDb};
use serde_json::json;

use crate::support::{Server, admin_token, free_port};

async fn acknowledged_tickets_survive_kill_9(backend: TestBackend) {
    let db = TestDb::new(backend).await;
    let token = admin_token(&db);
    let port = free_port();
    let mut server = Server::start(&db, port).await;
    let client = reqwest::Client::new();
    let org = client
        .post(format!("{}/api/v1/organizations", server.base))
        .bearer_auth(&token)
        .json(&json!({"slug": "camara-armenia", "name": "Cámara de Comercio de Armenia y el Quindío"}))
        .send()
        .await
        .unwrap();
    assert_eq!(org.status(), 201);

    let acked: Arc<Mutex<BTreeSet<i64>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..16 {
        let (client, base, token, acked) = (client.clone(), server.base.clone(), token.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let body = json!({"subject": format!("Caída {w}-{i}"), "body": "El portal no carga.", "organization": "camara-armenia"});
                let Ok(response) = client.post(format!("{base}/api/v1/tickets")).bearer_auth(&token).json(&body).send().await else {
                    return;
                };
                if response.status() != 201 {
                    return;
                }
                let Ok(ticket) = response.json::<serde_json::Value>().await else { return };
                acked.lock().unwrap().insert(ticket["number"].as_i64().unwrap());
            }
        }));
    }
    // Kill while requests are in flight, once a good number have been acknowledged.
    while acked.lock().unwrap().len() < 200 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill9();
    for writer in writers {
        writer.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 200);

    let server = Server::start(&db, free_port()).await;
    for number in &acked {
        let r =
            client.get(format!("{}/api/v1/tickets/{number}", server.base)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), 200, "acknowledged ticket #{number} was lost");
    }
    drop(server);

    let store = Store::open(&db.config).await.unwrap();
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    store.close().await;
}

alcance_testkit::on_both_backends!(acknowledged_tickets_survive_kill_9);
