//! The storage port on the in-memory and local-directory backends.

use std::path::Path;

use bytes::Bytes;
use futures_util::TryStreamExt;
use gongkai_files::{FileError, FileKey, FileStore, ObjectFileStore, StorageKind, StorageSettings};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

async fn round_trip(store: &dyn FileStore) {
    let stored = store.put(Bytes::from_static(PDF)).await.unwrap();
    assert!(stored.created);
    assert_eq!(stored.size, PDF.len() as u64);
    assert_eq!(stored.key, FileKey::of(PDF));
    assert!(stored.key.as_str().starts_with("sha256/"));
    assert!(store.exists(&stored.key).await.unwrap());
    assert_eq!(
        store.get(&stored.key).await.unwrap(),
        Bytes::from_static(PDF)
    );

    let opened = store.open(&stored.key).await.unwrap();
    assert_eq!(opened.size, PDF.len() as u64);
    let chunks: Vec<Bytes> = opened.stream.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), PDF);

    // The same bytes again: same key, nothing written.
    let again = store.put(Bytes::copy_from_slice(PDF)).await.unwrap();
    assert_eq!(again.key, stored.key);
    assert!(!again.created);

    store.delete(&stored.key).await.unwrap();
    assert!(!store.exists(&stored.key).await.unwrap());
    // Deleting what is gone is not an error (the caller may retry).
    store.delete(&stored.key).await.unwrap();
}

async fn missing_is_not_found(store: &dyn FileStore) {
    let key = FileKey::of(b"never stored");
    assert!(!store.exists(&key).await.unwrap());
    match store.get(&key).await {
        Err(FileError::NotFound { key: k }) => assert_eq!(k, key),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match store.open(&key).await {
        Err(FileError::NotFound { .. }) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
    let err = store.get(&key).await.unwrap_err().to_string();
    assert_eq!(err, format!("附件文件不存在（{key}）"));
}

#[tokio::test]
async fn in_memory_round_trip() {
    let store = ObjectFileStore::in_memory();
    round_trip(&store).await;
    missing_is_not_found(&store).await;
}

#[tokio::test]
async fn local_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = ObjectFileStore::local(&dir.path().join("files")).unwrap();
    round_trip(&store).await;
    missing_is_not_found(&store).await;
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test]
async fn local_layout_is_content_addressed_and_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("files");
    let store = ObjectFileStore::local(&root).unwrap();
    let a = store.put(Bytes::from_static(PDF)).await.unwrap();
    store.put(Bytes::from_static(PDF)).await.unwrap();
    let b = store
        .put(Bytes::from_static(b"\x89PNG other"))
        .await
        .unwrap();
    assert_ne!(a.key, b.key);

    let mut files = files_under(&root);
    files.sort();
    let mut expected = vec![root.join(a.key.as_str()), root.join(b.key.as_str())];
    expected.sort();
    assert_eq!(files, expected);
    let hex = a.key.sha256_hex();
    assert!(
        root.join(format!("sha256/{}/{}/{hex}", &hex[..2], &hex[2..4]))
            .is_file()
    );
    assert_eq!(std::fs::read(root.join(a.key.as_str())).unwrap(), PDF);
}

#[tokio::test]
async fn damaged_bytes_are_reported_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("files");
    let store = ObjectFileStore::local(&root).unwrap();
    let stored = store.put(Bytes::from_static(PDF)).await.unwrap();
    std::fs::write(root.join(stored.key.as_str()), b"%PDF-1.7 tampered").unwrap();
    match store.get(&stored.key).await {
        Err(FileError::Corrupt { key }) => assert_eq!(key, stored.key),
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[tokio::test]
async fn large_files_round_trip() {
    // Above the inline-hashing threshold, so the blocking-thread path runs.
    let big: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let store = ObjectFileStore::in_memory();
    let stored = store.put(Bytes::from(big.clone())).await.unwrap();
    assert_eq!(stored.key, FileKey::of(&big));
    assert_eq!(store.get(&stored.key).await.unwrap(), big);
}

#[tokio::test]
async fn settings_open_the_local_store_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let store = ObjectFileStore::from_settings(&StorageSettings::default(), dir.path()).unwrap();
    assert_eq!(
        store.description(),
        format!("本地目录 {}", dir.path().join("files").display())
    );
    let stored = store.put(Bytes::from_static(PDF)).await.unwrap();
    assert!(dir.path().join("files").join(stored.key.as_str()).is_file());

    let custom = dir.path().join("elsewhere");
    let settings = StorageSettings {
        path: Some(custom.clone()),
        ..StorageSettings::default()
    };
    let store = ObjectFileStore::from_settings(&settings, dir.path()).unwrap();
    store.put(Bytes::from_static(PDF)).await.unwrap();
    assert!(custom.join(stored.key.as_str()).is_file());
}

#[tokio::test]
async fn invalid_settings_open_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let settings = StorageSettings {
        kind: StorageKind::S3,
        ..StorageSettings::default()
    };
    let err = ObjectFileStore::from_settings(&settings, dir.path()).unwrap_err();
    assert!(matches!(err, FileError::Config(_)));
    assert!(err.to_string().contains("[storage.s3]"), "{err}");
    assert!(!dir.path().join("files").exists());
}
