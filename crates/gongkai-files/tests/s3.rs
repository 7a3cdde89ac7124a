//! The S3 client is built from settings without contacting any service
//! (there is no S3 server to test against here; requests are not faked).
#![cfg(feature = "s3")]

use gongkai_files::{FileError, ObjectFileStore, S3Settings, StorageKind, StorageSettings};

fn minio() -> S3Settings {
    toml::from_str(
        r#"
        endpoint = "http://127.0.0.1:9000"
        bucket = "gongkai-files"
        access_key_id = "minioadmin"
        secret_access_key = "s3cret-value"
        path_style = true
        allow_http = true
        prefix = "qinglan"
        "#,
    )
    .unwrap()
}

#[test]
fn a_client_is_built_from_valid_settings() {
    let store = ObjectFileStore::s3(&minio()).unwrap();
    assert_eq!(
        store.description(),
        "S3 对象存储 http://127.0.0.1:9000/gongkai-files（前缀 qinglan/）"
    );
    assert!(!format!("{store:?}").contains("s3cret-value"));

    let settings = StorageSettings {
        kind: StorageKind::S3,
        s3: Some(S3Settings {
            endpoint: Some("https://oss-cn-hangzhou.aliyuncs.com".into()),
            path_style: false,
            allow_http: false,
            prefix: None,
            region: "cn-hangzhou".into(),
            ..minio()
        }),
        ..StorageSettings::default()
    };
    let store =
        ObjectFileStore::from_settings(&settings, std::path::Path::new("/nonexistent")).unwrap();
    assert_eq!(
        store.description(),
        "S3 对象存储 https://gongkai-files.oss-cn-hangzhou.aliyuncs.com"
    );
}

#[test]
fn invalid_settings_build_no_client() {
    let s = S3Settings {
        allow_http: false,
        ..minio()
    };
    match ObjectFileStore::s3(&s) {
        Err(FileError::Config(msg)) => assert!(msg.contains("allow_http"), "{msg}"),
        other => panic!("expected a config error, got {other:?}"),
    }
}
