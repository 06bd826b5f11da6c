//! Cross-crate summaries: for each function of a dependency that may block or enter a runtime,
//! one chain that proves it. The driver writes one file per dependency build and reads them
//! back when a crate that uses the dependency is linted.

use crate::catalogue::Entry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One dependency's summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrateSummary {
    pub crate_name: String,
    /// By the function's `DefPathHash` local part, in hex.
    pub functions: BTreeMap<String, FunctionSummary>,
    /// The types this crate turns into trait objects whose methods may block or enter a
    /// runtime: a crate calling that method on such a trait object may run them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coercions: Vec<DynCoercion>,
}

/// A type made a trait object (`Box::new(DiskStore) as Box<dyn Storage>`), with what the
/// trait's methods do on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynCoercion {
    /// The trait object type, every path with its crate (`dyn store::Storage + Send`).
    pub object: String,
    /// Where the type became the trait object: `caller` is the function, `callee` the type.
    pub site: ChainHop,
    pub methods: Vec<DynMethod>,
}

/// One method of a [`DynCoercion`]'s trait, as the coerced type implements it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynMethod {
    /// The trait method: its crate's stable id and the local part of its `DefPathHash`, in hex.
    pub method_crate: u64,
    pub method: String,
    /// The implementing function, as diagnostics name it.
    pub implementation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks: Option<Chain>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enters_runtime: Option<Chain>,
}

/// What one function may do, with the chain that shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionSummary {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks: Option<Chain>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enters_runtime: Option<Chain>,
    /// A chain to an API that works only on a multi-thread runtime (`block_in_place`), through
    /// async fns too: async fns are summarised for this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_thread_only: Option<Chain>,
    /// A chain to an API that needs a runtime's context (`tokio::spawn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_runtime: Option<Chain>,
    /// A chain to an API that spawns a task on a tokio runtime, through async fns too: a main
    /// task that awaits this function is not the only task of its runtime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spawns_task: Option<Chain>,
    /// For a generic function: its calls of trait methods on its own type parameters, which
    /// the crate that instantiates it resolves with the concrete types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<DeferredCall>,
    /// For a generic function: the indices of its parameters whose values (closures, fn items)
    /// it runs where it is called, rather than only keeping them or handing them to another
    /// thread. A function of a summarised crate with none listed runs none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs_parameters: Vec<u32>,
}

/// A call of a trait method whose `Self` type is a type parameter of the calling function
/// (`fn load_via<S: Source>(s: &S) { s.load() }`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeferredCall {
    /// The stable crate id of the trait method's crate.
    pub method_crate: u64,
    /// The local part of the trait method's `DefPathHash`, in hex.
    pub method: String,
    /// The index, among the calling function's generic arguments, of the method's `Self`.
    pub self_param: u32,
    /// Where the call is (its `callee` names the trait method).
    pub site: ChainHop,
}

/// A chain down to a catalogued API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    /// The catalogue entry at its end, as it is (the schema of `catalogue.blocking`), so that
    /// a crate reading the chain words it as the crate that found it.
    pub entry: Entry,
    pub hops: Vec<ChainHop>,
}

/// "`caller` calls `callee` at `file:line:column`".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHop {
    pub caller: String,
    pub callee: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// For a drop rather than a call: the type dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropped: Option<String>,
    /// For the step that made a trait object: the type that became one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coerced: Option<String>,
}

impl CrateSummary {
    /// The file for a crate: its name and stable crate id, which cargo's build of it fixes.
    #[must_use]
    pub fn file(dir: &Path, crate_name: &str, stable_crate_id: u64) -> PathBuf {
        dir.join(format!("{crate_name}-{stable_crate_id:016x}.json"))
    }

    /// Writes the summary, through a temporary file so a reader never sees half of it.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        crate::json_file::write(self, path)
    }

    /// Reads a summary written by [`CrateSummary::write`].
    pub fn read(path: &Path) -> std::io::Result<Self> {
        crate::json_file::read(path)
    }
}
