//! Every `async-lint.toml` key is exercised by a `tests/ui-toml` case and documented in the
//! README's configuration table.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ui_toml_configs() -> Vec<toml::Table> {
    let mut configs = Vec::new();
    for entry in std::fs::read_dir(root().join("tests/ui-toml")).unwrap() {
        let path = entry.unwrap().path().join("async-lint.toml");
        // Broken files are cases too; only well-formed ones can exercise a key.
        if let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(table) = text.parse::<toml::Table>()
        {
            configs.push(table);
        }
    }
    configs
}

fn has_key(table: &toml::Table, key: &str) -> bool {
    let mut current = table;
    let mut segments = key.split('.').peekable();
    while let Some(segment) = segments.next() {
        match current.get(segment) {
            Some(toml::Value::Table(inner)) if segments.peek().is_some() => current = inner,
            Some(_) if segments.peek().is_none() => return true,
            _ => return false,
        }
    }
    false
}

#[test]
fn every_key_has_a_ui_toml_case() {
    let configs = ui_toml_configs();
    assert_ne!(configs.len(), 0, "no well-formed tests/ui-toml configs");
    let missing: Vec<String> = async_lint_config::keys()
        .into_iter()
        .filter(|key| !configs.iter().any(|config| has_key(config, key)))
        .collect();
    assert!(missing.is_empty(), "keys without a tests/ui-toml case: {missing:?}");
}

#[test]
fn every_key_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for key in async_lint_config::keys() {
        let documented = if key == "lints" {
            readme.contains("`lints.<lint>`")
        } else {
            readme.contains(&format!("`{key}`"))
        };
        assert!(documented, "README.md does not document `{key}`");
    }
}
