//! Shared by the command tests: an app on Tauri's mock runtime with temporary folders,
//! and a way to call a command as the webview would (JSON in, JSON or error out).
#![allow(dead_code)]

use credence_desktop::state::{AppState, Dirs};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub struct TestApp {
    pub app: App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
}

impl TestApp {
    /// A fresh app: no keyring (the passphrase fallback), its own data and engagement
    /// folders, the repository's sample data. The context is the app's own (its
    /// capability decides which commands the "main" webview may call).
    pub fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let dirs = Dirs {
            data: dir.path().join("data"),
            engagements: dir.path().join("engagements"),
            sample_data: Some(repo().join("sample-data")),
        };
        let mut state = AppState::new(dirs, false, false);
        state.native_menu = false;
        let app = credence_desktop::register(mock_builder())
            .manage(state)
            .build(tauri::generate_context!())
            .expect("mock app builds");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock webview");
        TestApp { app, webview, dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    /// Calls a command; Ok(answer) or Err(the error value the UI would receive).
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_body(cmd, args)
            .map(|b| b.deserialize::<Value>().unwrap())
    }

    /// Calls a command that answers with raw bytes (`tauri::ipc::Response`).
    pub fn bytes(&self, cmd: &str, args: Value) -> Vec<u8> {
        match self.call_body(cmd, args.clone()) {
            Ok(tauri::ipc::InvokeResponseBody::Raw(b)) => b,
            Ok(tauri::ipc::InvokeResponseBody::Json(j)) => {
                panic!("{cmd} {args} answered JSON, not bytes: {j}")
            }
            Err(e) => panic!("{cmd} {args} failed: {e}"),
        }
    }

    fn call_body(&self, cmd: &str, args: Value) -> Result<tauri::ipc::InvokeResponseBody, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                // The app's own origin on Linux (the capability allows local URLs only).
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
    }

    /// The error kind of a refused call (panics when the call succeeded).
    pub fn refused(&self, cmd: &str, args: Value) -> String {
        match self.call(cmd, args.clone()) {
            Ok(v) => panic!("{cmd} {args} was accepted: {v}"),
            Err(e) => e
                .get("kind")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("not a command error: {e}")),
        }
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone())
            .unwrap_or_else(|e| panic!("{cmd} {args} failed: {e}"))
    }

    /// Opens the sample engagement (passphrase-protected: no keyring here).
    pub fn open_sample(&self) -> Value {
        self.ok(
            "open_sample",
            json!({"passphrase": "correct horse battery"}),
        )
    }

    /// Starts a scan and waits until the scan thread has finished.
    pub fn scan(&self) {
        self.ok("start_scan", json!({}));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        while self.state().running().is_some() {
            assert!(std::time::Instant::now() < deadline, "scan did not finish");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl TestApp {
    /// Waits until the background jobs (register, report) have finished.
    pub fn wait_jobs(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        while !self.state().jobs().is_empty() {
            assert!(std::time::Instant::now() < deadline, "job did not finish");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The first practice item of the questionnaire answered per zone class (`true`)
    /// or once (`false`): (id, zone).
    pub fn practice_item(&self, zoned: bool) -> (String, Option<String>) {
        let q = self.ok("questionnaire", json!({}));
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "practice" && i["zone"].is_string() == zoned)
            .map(|i| {
                (
                    i["id"].as_str().unwrap().to_string(),
                    i["zone"].as_str().map(str::to_string),
                )
            })
            .expect("the default model has both kinds of practice")
    }
}

/// Planted secrets of the sample data worth searching outputs for (the same rule as
/// tests/common/mod.rs in the library: at least 6 characters, not also a username or
/// system, not a word of the rules' vocabulary).
pub fn searchable_secrets() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("tests/expected/sample-data.tsv")).unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    let mut vocabulary = String::new();
    for r in credence::detect::rules::RuleSet::builtin().unwrap().rules {
        vocabulary.push_str(&format!(
            "{} {} {}\n",
            r.spec.id, r.spec.name, r.spec.category
        ));
    }
    vocabulary.push_str("reversible default weak privileged non_human hashed stale hidden credential_store preshared_key connection_string cloud_credential");
    let mut out: Vec<String> = rows
        .iter()
        .map(|c| c[6].clone())
        .filter(|s| s != "*" && s.chars().count() >= 6 && !vocabulary.contains(s.as_str()))
        .filter(|s| !rows.iter().any(|c| c[3] == *s || c[4] == *s))
        .collect();
    out.sort();
    out.dedup();
    out
}

// The same leak search as the library's tests: one file, included by path.
#[path = "../../../tests/common/leak.rs"]
mod leak;
#[allow(unused_imports)] // not every test binary that includes `support` searches for leaks
pub use leak::{contains, encodings};
