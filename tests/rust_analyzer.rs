//! rust-analyzer runs `cargo async-lint` as its check command and shows our diagnostics: the
//! real `rust-analyzer` of the pinned toolchain, spoken to over stdio LSP, on a copy of the
//! stable-pinned fixture, with the configuration the README documents.

use lsp_types::notification::{DidOpenTextDocument, DidSaveTextDocument, Initialized, Notification};
use lsp_types::request::{Initialize, Request};
use lsp_types::{
    ClientCapabilities, DidOpenTextDocumentParams, DidSaveTextDocumentParams, InitializeParams, InitializedParams,
    NumberOrString, PublishDiagnosticsParams, TextDocumentIdentifier, TextDocumentItem, Uri, WorkspaceFolder,
};
mod common;

use common::{clean_env, copy_dir, root};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::str::FromStr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TOOLCHAIN: &str = "nightly-2026-10-01";
/// Loading the workspace and one check of a small crate take seconds; this bounds a hang.
const TIMEOUT: Duration = Duration::from_secs(240);

/// The pinned toolchain's rust-analyzer, or `None` when the component is not installed.
fn rust_analyzer() -> Option<PathBuf> {
    let output = Command::new("rustup")
        .args(["which", "--toolchain", TOOLCHAIN, "rust-analyzer"])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && path.is_file()).then_some(path)
}

fn uri(path: &Path) -> Uri {
    Uri::from_str(&format!("file://{}", path.display())).expect("a file path is a URI")
}

/// The client side of the LSP stdio connection: messages in one thread, sends from the test.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(program: &Path, dir: &Path) -> Self {
        let mut command = Command::new(program);
        let mut child = clean_env(&mut command)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("rust-analyzer starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let text = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{text}", text.len()).expect("write to rust-analyzer");
        self.stdin.flush().expect("flush");
    }

    fn request<R: Request>(&mut self, params: &R::Params) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": R::METHOD, "params": params }));
        id
    }

    fn notify<N: Notification>(&mut self, params: &N::Params) {
        self.send(&json!({ "jsonrpc": "2.0", "method": N::METHOD, "params": params }));
    }

    /// Waits for a message that `wanted` accepts, answering rust-analyzer's own requests
    /// (configuration, progress, registration) on the way.
    fn wait_for<T>(&mut self, deadline: Instant, mut wanted: impl FnMut(&Value) -> Option<T>) -> Option<T> {
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let message = self.messages.recv_timeout(left).ok()?;
            if let Some(found) = wanted(&message) {
                return Some(found);
            }
            if let (Some(id), Some(method)) = (message.get("id"), message.get("method").and_then(Value::as_str)) {
                let result = match method {
                    // One settings object per requested item: the same as the initialization options.
                    "workspace/configuration" => {
                        let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                        json!(vec![settings(); items])
                    }
                    _ => Value::Null,
                };
                self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The rust-analyzer settings the README documents, with this checkout's binary.
fn settings() -> Value {
    let target_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rust-analyzer-target");
    json!({
        "check": {
            "overrideCommand": [
                env!("CARGO_BIN_EXE_cargo-async-lint"),
                "async-lint",
                "--workspace",
                "--all-targets",
                "--message-format=json",
                format!("--target-dir={}", target_dir.display()),
            ],
        },
        "checkOnSave": true,
        "cachePriming": { "enable": false },
        "procMacro": { "enable": false },
        "cargo": { "buildScripts": { "enable": false } },
    })
}

#[test]
fn rust_analyzer_shows_our_diagnostics_on_save() {
    let Some(program) = rust_analyzer() else {
        // CI installs the component (`.ci/run`), so it never skips there.
        assert!(
            std::env::var_os("CI").is_none(),
            "rust-analyzer is not installed for {TOOLCHAIN}: `.ci/run` installs it"
        );
        eprintln!(
            "skipped: rust-analyzer is not installed for {TOOLCHAIN} \
             (rustup component add rust-analyzer --toolchain {TOOLCHAIN})"
        );
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rust-analyzer-fixture");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("tests/fixtures/stable-crate"), &dir);
    let dir = dir.canonicalize().unwrap();
    let file = dir.join("src/lib.rs");
    let deadline = Instant::now() + TIMEOUT;

    let mut client = Client::start(&program, &dir);
    let initialize = InitializeParams {
        capabilities: ClientCapabilities::default(),
        workspace_folders: Some(vec![WorkspaceFolder {
            uri: uri(&dir),
            name: "stable-crate".to_owned(),
        }]),
        initialization_options: Some(settings()),
        ..InitializeParams::default()
    };
    let id = client.request::<Initialize>(&initialize);
    let initialized = client.wait_for(deadline, |message| {
        (message.get("id") == Some(&json!(id))).then_some(())
    });
    assert!(
        initialized.is_some(),
        "rust-analyzer did not answer `initialize` in time"
    );
    client.notify::<Initialized>(&InitializedParams {});

    let text = std::fs::read_to_string(&file).unwrap();
    client.notify::<DidOpenTextDocument>(&DidOpenTextDocumentParams {
        text_document: TextDocumentItem {
            uri: uri(&file),
            language_id: "rust".to_owned(),
            version: 1,
            text: text.clone(),
        },
    });
    client.notify::<DidSaveTextDocument>(&DidSaveTextDocumentParams {
        text_document: TextDocumentIdentifier { uri: uri(&file) },
        text: Some(text),
    });

    let ours = client.wait_for(deadline, |message| {
        if message.get("method").and_then(Value::as_str) != Some("textDocument/publishDiagnostics") {
            return None;
        }
        let params: PublishDiagnosticsParams = serde_json::from_value(message["params"].clone()).ok()?;
        params
            .diagnostics
            .into_iter()
            .find(|diagnostic| diagnostic.code == Some(NumberOrString::String("blocking_in_async".to_owned())))
    });
    let diagnostic = ours.expect("rust-analyzer published no `blocking_in_async` diagnostic in time");
    // `std::thread::sleep(..)` on line 5 (0-based 4), from column 5 (0-based 4).
    assert_eq!(diagnostic.range.start.line, 4, "{diagnostic:?}");
    assert_eq!(diagnostic.range.start.character, 4, "{diagnostic:?}");
    assert!(
        diagnostic.message.contains("blocks the async executor"),
        "{diagnostic:?}"
    );
}
