//! The catalogue (data in `async_lint_config::catalogue`) resolved against one crate's
//! dependency graph.

use super::Effect;
use async_lint_config::catalogue::Entry;
use clippy_utils::paths::{PathNS, lookup_path_str};
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_middle::ty::{self, GenericArgsRef, TyCtxt};
use rustc_span::def_id::DefId;

/// An entry whose paths resolved; a trait method may be restricted to one `Self` type.
#[derive(Debug)]
struct Resolved {
    entry: Entry,
    self_ty: Option<DefId>,
}

/// Catalogue entries by the `DefId` of the function they name.
#[derive(Debug, Default)]
pub struct Catalogue {
    by_def_id: FxHashMap<DefId, Vec<Resolved>>,
}

impl Catalogue {
    /// Resolves every entry once; entries of crates outside the build resolve to nothing.
    #[must_use]
    pub fn resolve(tcx: TyCtxt<'_>, entries: impl IntoIterator<Item = Entry>) -> Self {
        let mut catalogue = Self::default();
        for entry in entries {
            let self_ty = match entry.self_ty {
                Some(path) => match lookup_path_str(tcx, PathNS::Type, path).first() {
                    Some(&def_id) => Some(def_id),
                    // The restricting type is absent, so no call can match.
                    None => continue,
                },
                None => None,
            };
            for def_id in lookup_path_str(tcx, PathNS::Value, &entry.path) {
                catalogue.by_def_id.entry(def_id).or_default().push(Resolved {
                    entry: entry.clone(),
                    self_ty,
                });
            }
        }
        catalogue
    }

    /// The entry with `effect` for a call of `def_id` with `args` (the call's generic
    /// arguments, whose first type is `Self` for trait methods).
    #[must_use]
    pub fn entry_for(&self, def_id: DefId, args: GenericArgsRef<'_>, effect: Effect) -> Option<&Entry> {
        let candidates = self.by_def_id.get(&def_id)?;
        candidates
            .iter()
            .filter(|resolved| effect.includes(resolved.entry.category))
            .find_map(|resolved| match resolved.self_ty {
                None => Some(&resolved.entry),
                Some(wanted) => match args.types().next()?.peel_refs().kind() {
                    ty::Adt(adt, _) if adt.did() == wanted => Some(&resolved.entry),
                    _ => None,
                },
            })
    }
}

/// Resolves boundary paths (functions whose closure arguments run on another thread).
#[must_use]
pub fn resolve_functions<'a>(tcx: TyCtxt<'_>, paths: impl IntoIterator<Item = &'a str>) -> FxHashSet<DefId> {
    paths
        .into_iter()
        .flat_map(|path| lookup_path_str(tcx, PathNS::Value, path))
        .collect()
}
