//! Attachment bytes come back exactly as stored, whatever they are.

use alcance_store::StoreError;
use alcance_store::repo::attachments::{self, NewAttachment};
use alcance_testkit::TestBackend;

use crate::common::{count, fixture, insert_ticket, now, open};

async fn attachment_bytes_round_trip(backend: TestBackend) {
    let (_db, store) = open(backend).await;
    let f = fixture(&store).await;
    let ticket = insert_ticket(&store, &f, "files").await;
    let (tid, uploader, now) = (ticket.id, f.requester.id, now());

    // Every byte value, NUL and 0xFF at the edges, and sequences that are not UTF-8.
    let mut binary: Vec<u8> = vec![0x00, 0xFF, 0x00, 0xC3, 0x28, 0xF0, 0x28, 0x8C, 0x28, 0xFE, 0xFF, 0x80];
    binary.extend(0..=255_u8);
    binary.push(0x00);
    assert!(std::str::from_utf8(&binary).is_err());
    // A larger payload (1 MiB + 7 bytes) of pseudo-random bytes.
    let mut state: u32 = 0x1234_5678;
    let large: Vec<u8> = (0..(1024 * 1024 + 7))
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state.to_be_bytes()[0]
        })
        .collect();
    let text = "hola ñandú ✓\n".as_bytes().to_vec();
    let payloads: Vec<(&'static str, bool, Vec<u8>)> = vec![
        ("binary.bin", false, binary),
        ("large.bin", true, large),
        ("notes.txt", false, text),
        ("empty.txt", false, Vec::new()),
    ];

    for (name, internal, content) in payloads {
        let sent = content.clone();
        let stored = store
            .write(move |c| {
                Box::pin(async move {
                    let a = NewAttachment {
                        ticket_id: tid,
                        uploader_id: uploader,
                        internal,
                        file_name: name,
                        content_type: "application/octet-stream",
                        sha256: "digest",
                        content: sent,
                    };
                    attachments::insert(c, a, now).await
                })
            })
            .await
            .unwrap_or_else(|e| panic!("storing {name}: {e}"));
        assert_eq!(stored.size_bytes, i64::try_from(content.len()).unwrap(), "{name}: size recorded");
        assert_eq!(
            (
                stored.ticket_id,
                stored.uploader_id,
                stored.internal,
                stored.file_name.as_str(),
                stored.content_type.as_str(),
                stored.sha256.as_str(),
                stored.created_at
            ),
            (tid, uploader, internal, name, "application/octet-stream", "digest", now)
        );
        let id = stored.id;
        let (meta, bytes) = store
            .read(move |c| {
                Box::pin(async move {
                    Ok::<_, StoreError>((attachments::by_id(c, id).await?, attachments::content(c, id).await?))
                })
            })
            .await
            .unwrap_or_else(|e| panic!("reading {name}: {e}"));
        assert_eq!(meta, Some(stored), "{name}: description round-trips");
        assert!(bytes == content, "{name}: {} bytes stored, {} different bytes read back", content.len(), bytes.len());
    }

    let (all, public, missing) = store
        .read(move |c| {
            Box::pin(async move {
                Ok::<_, StoreError>((
                    attachments::for_ticket(c, tid, true).await?,
                    attachments::for_ticket(c, tid, false).await?,
                    attachments::by_id(c, 999_999).await?,
                ))
            })
        })
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|a| a.file_name.as_str()).collect::<Vec<_>>(),
        vec!["binary.bin", "large.bin", "notes.txt", "empty.txt"]
    );
    assert_eq!(
        public.iter().map(|a| a.file_name.as_str()).collect::<Vec<_>>(),
        vec!["binary.bin", "notes.txt", "empty.txt"],
        "internal ones hidden"
    );
    assert_eq!(missing, None);
    let err = store.read(|c| Box::pin(async move { attachments::content(c, 999_999).await })).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    assert_eq!(count(&store, "attachments").await, 4);
}

alcance_testkit::on_both_backends!(attachment_bytes_round_trip);
