//! The documented GitHub Actions workflow (`docs/github-workflow.yml`) is valid YAML and has the
//! steps the README promises: the toolchain, a cached install of the tool, the gate with
//! `-D warnings`, and the SARIF upload that runs even when the gate fails.

use yaml_rust2::{Yaml, YamlLoader};

fn workflow() -> Yaml {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/github-workflow.yml");
    let text = std::fs::read_to_string(path).expect("docs/github-workflow.yml is readable");
    let mut documents = YamlLoader::load_from_str(&text).expect("the workflow is valid YAML");
    assert_eq!(documents.len(), 1, "one YAML document");
    documents.remove(0)
}

fn steps(workflow: &Yaml) -> Vec<&Yaml> {
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    jobs.values()
        .flat_map(|job| job["steps"].as_vec().into_iter().flatten())
        .collect()
}

fn step_with<'a>(steps: &[&'a Yaml], predicate: impl Fn(&Yaml) -> bool) -> Option<&'a Yaml> {
    steps.iter().copied().find(|step| predicate(step))
}

fn text(yaml: &Yaml) -> &str {
    yaml.as_str().unwrap_or_default()
}

#[test]
fn workflow_has_the_documented_steps() {
    let workflow = workflow();
    assert_eq!(
        text(&workflow["permissions"]["security-events"]),
        "write",
        "uploading SARIF needs security-events: write"
    );
    let toolchain = text(&workflow["env"]["ASYNC_LINT_TOOLCHAIN"]);
    let pinned =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rust-toolchain.toml")).unwrap();
    assert!(
        pinned.contains(&format!("\"{toolchain}\"")),
        "the workflow pins {toolchain}, the project another"
    );

    let steps = steps(&workflow);
    let install_toolchain = step_with(&steps, |step| text(&step["run"]).contains("rustup toolchain install"));
    assert!(
        install_toolchain.is_some_and(|step| text(&step["run"]).contains("rustc-dev")),
        "a step installs the nightly with rustc-dev"
    );

    let cache = step_with(&steps, |step| {
        text(&step["uses"]).starts_with("actions/cache@") && text(&step["with"]["path"]).contains("cargo-async-lint")
    })
    .expect("a step caches the installed binaries");
    let cache_id = text(&cache["id"]);
    let install = step_with(&steps, |step| text(&step["run"]).contains("install --locked"))
        .expect("a step installs cargo-async-lint");
    assert!(
        text(&install["if"]).contains(&format!("steps.{cache_id}.outputs.cache-hit")),
        "the install is skipped on a cache hit"
    );

    let gate = step_with(&steps, |step| text(&step["run"]).contains("cargo async-lint"))
        .expect("a step runs cargo async-lint");
    let command = text(&gate["run"]);
    assert!(
        command.contains("-- -D warnings"),
        "the gate denies warnings: {command}"
    );
    assert!(
        command.contains("--report sarif --output async-lint.sarif"),
        "{command}"
    );

    let upload = step_with(&steps, |step| {
        text(&step["uses"]).starts_with("github/codeql-action/upload-sarif@")
    })
    .expect("a step uploads the SARIF report");
    assert_eq!(text(&upload["with"]["sarif_file"]), "async-lint.sarif");
    assert_eq!(
        text(&upload["if"]),
        "always()",
        "the findings are uploaded when the gate fails too"
    );
}
