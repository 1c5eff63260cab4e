//! Property tests: every parser of untrusted input returns a value or an error on arbitrary
//! input, never a panic. Besides random input, a checked-in corpus (`tests/fuzz_corpus/`) is
//! replayed as is and mutated byte by byte. `./scripts/fuzz.sh` runs the same with far more
//! cases; any crash it finds is added to the corpus (and so becomes a regular test).
#![cfg(not(target_arch = "wasm32"))]

use leptos_logto::core::callback::{looks_like_callback, parse_callback};
use leptos_logto::core::config::LogtoConfig;
use leptos_logto::core::discovery::ProviderMetadata;
use leptos_logto::core::id_token::decode_claims_unverified;
use leptos_logto::core::jose::{base64url, CompactJws, JwkSet};
use leptos_logto::core::json;
use leptos_logto::core::session::SignInSession;
use leptos_logto::core::token::{access_token_map_from_json, Grant, TokenResponse};
use leptos_logto::core::types::{IssuerUrl, UnixTime};
use leptos_logto::core::url::{parse_query, HttpUrl};
use proptest::prelude::*;

fn session() -> SignInSession {
    let config = LogtoConfig::new("http://127.0.0.1:3001", "demo-app", "http://127.0.0.1:3000/callback").unwrap();
    SignInSession::new(&config, &[5; 96], "/", UnixTime(0))
}

/// Strings shaped like callback URLs: the right prefix, then arbitrary query/fragment text.
fn callback_like() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("http://127.0.0.1:3000/callback"),
            Just("http://127.0.0.1:3000/callback/"),
            Just("HTTP://127.0.0.1:3000"),
            Just("")
        ],
        "[?#&=%a-z0-9+._~:/-]{0,200}",
    )
        .prop_map(|(a, b)| format!("{a}{b}"))
}

/// Three dot-separated parts of base64url over arbitrary bytes and JSON-ish headers.
fn jws_like() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(r#"{"alg":"ES384","kid":"k"}"#.to_owned()),
            Just(r#"{"alg":"RS256"}"#.to_owned()),
            Just(r#"{"alg":"none"}"#.to_owned()),
            ".{0,64}".prop_map(|s| s),
        ],
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(h, p, s)| {
            format!(
                "{}.{}.{}",
                base64url::encode(h.as_bytes()),
                base64url::encode(&p),
                base64url::encode(&s)
            )
        })
}

/// Arbitrary JSON documents (integers only, so number text compares exactly).
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn corpus(kind: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(kind);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {dir:?}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    entries.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Runs every parser for `kind` on `bytes` (lossily decoded, as a browser would hand it over).
fn parse_all(kind: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    match kind {
        "callback" => {
            let _ = parse_callback(&text, &session(), true);
            let _ = looks_like_callback(&text);
        }
        "jws" => {
            let _ = CompactJws::parse(&text);
            let _ = decode_claims_unverified(&text);
        }
        "json" => {
            let _ = json::parse(&text);
            let _ = JwkSet::from_json(&text);
            let _ = TokenResponse::from_http(200, &text, Grant::AuthorizationCode, UnixTime(0));
            let _ = leptos_logto::core::claims::UserInfo::from_json(&text);
        }
        _ => {
            let _ = LogtoConfig::from_json(&text);
        }
    }
}

#[test]
fn corpus_replays_without_panicking() {
    for kind in ["callback", "jws", "config", "json"] {
        let entries = corpus(kind);
        assert!(!entries.is_empty(), "the {kind} corpus is checked in");
        for entry in entries {
            parse_all(kind, &entry);
        }
    }
}

/// A corpus entry with random byte edits: replace, insert, delete, duplicate a slice.
fn mutated(kind: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let entries = corpus(kind);
    (
        0..entries.len(),
        proptest::collection::vec((any::<u8>(), any::<prop::sample::Index>(), any::<u8>()), 1..8),
    )
        .prop_map(move |(i, edits)| {
            let mut bytes = entries[i].clone();
            for (op, at, value) in edits {
                let pos = if bytes.is_empty() { 0 } else { at.index(bytes.len()) };
                match op % 4 {
                    0 if !bytes.is_empty() => bytes[pos] = value,
                    1 => bytes.insert(pos, value),
                    2 if !bytes.is_empty() => {
                        bytes.remove(pos);
                    }
                    _ => {
                        let tail = bytes[pos..].to_vec();
                        bytes.extend_from_slice(&tail[..tail.len().min(64)]);
                    }
                }
            }
            bytes
        })
}

/// 2,000 cases per property in the test run; `PROPTEST_CASES` (set by `scripts/fuzz.sh`) asks
/// for more. (A literal `cases` in the config would override the environment variable.)
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn mutated_callback_corpus_never_panics(bytes in mutated("callback")) {
        parse_all("callback", &bytes);
    }

    #[test]
    fn mutated_jws_corpus_never_panics(bytes in mutated("jws")) {
        parse_all("jws", &bytes);
    }

    #[test]
    fn mutated_config_corpus_never_panics(bytes in mutated("config")) {
        parse_all("config", &bytes);
    }

    #[test]
    fn mutated_json_corpus_never_panics(bytes in mutated("json")) {
        parse_all("json", &bytes);
    }

    #[test]
    fn callback_parser_never_panics(url in callback_like()) {
        let _ = parse_callback(&url, &session(), true);
        let _ = looks_like_callback(&url);
    }

    #[test]
    fn callback_parser_never_panics_on_any_text(url in any::<String>()) {
        let _ = parse_callback(&url, &session(), false);
        let _ = HttpUrl::parse(&url);
        let _ = parse_query(&url);
    }

    #[test]
    fn jws_parser_never_panics(token in jws_like()) {
        let _ = CompactJws::parse(&token);
        let _ = decode_claims_unverified(&token);
    }

    #[test]
    fn jws_parser_never_panics_on_any_text(token in any::<String>()) {
        let _ = CompactJws::parse(&token);
    }

    #[test]
    fn json_reader_reads_what_serde_json_writes_and_writes_it_back(value in json_value()) {
        for text in [value.to_string(), serde_json::to_string_pretty(&value).unwrap()] {
            let ours = json::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            let back: serde_json::Value = serde_json::from_str(&ours.to_json_string()).unwrap();
            prop_assert_eq!(&back, &value);
            let pretty: serde_json::Value = serde_json::from_str(&ours.to_pretty_string()).unwrap();
            prop_assert_eq!(&pretty, &value);
        }
    }

    #[test]
    fn json_reader_is_never_more_lenient_than_serde_json(text in r#"[\[\]{}:,"0-9a-z\\ .eE+-]{0,40}"#) {
        if json::parse(&text).is_ok() {
            prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "accepted: {}", text);
        }
    }

    #[test]
    fn json_parsers_never_panic(json in any::<String>()) {
        let _ = json::parse(&json);
        let _ = LogtoConfig::from_json(&json);
        let _ = JwkSet::from_json(&json);
        let _ = ProviderMetadata::from_json(&json, &IssuerUrl::new("http://127.0.0.1:3001/oidc"));
        let _ = access_token_map_from_json(&json);
        let _ = SignInSession::from_json(&json, UnixTime(0));
        let _ = TokenResponse::from_http(200, &json, Grant::AuthorizationCode, UnixTime(0));
    }

    #[test]
    fn config_parser_never_panics_on_json_shaped_input(
        endpoint in ".{0,40}", app in ".{0,10}", redirect in ".{0,40}", scope in ".{0,20}"
    ) {
        let json = serde_json::json!({"endpoint": endpoint, "appId": app, "redirectUri": redirect, "scopes": [scope], "resources": [scope]});
        let _ = LogtoConfig::from_json(&json.to_string());
    }
}
