//! The catalogue (data in `async_lint_config::catalogue`) resolved against one crate's
//! dependency graph.

use super::Effect;
use async_lint_config::catalogue::Entry;
use clippy_utils::paths::{PathNS, lookup_path_str};
use rustc_data_structures::fx::{FxHashMap, FxHashSet};
use rustc_middle::ty::{self, GenericArgsRef, Ty, TyCtxt};
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
    /// Buffering wrappers, looked through when matching a `Self` type: a `BufReader<File>`
    /// blocks like the `File`.
    wrappers: FxHashSet<DefId>,
    /// The effects some entry of this build has. A chain for any other effect cannot exist in
    /// this crate graph (a dependency's summary ends at entries of a graph inside this one), so
    /// asking for one costs nothing.
    effects: [bool; Effect::ALL.len()],
}

impl Catalogue {
    /// Resolves every entry once; entries of crates outside the build resolve to nothing.
    #[must_use]
    pub fn resolve(tcx: TyCtxt<'_>, entries: impl IntoIterator<Item = Entry>) -> Self {
        let mut catalogue = Self {
            by_def_id: FxHashMap::default(),
            wrappers: super::paths::IO_WRAPPERS
                .iter()
                .flat_map(|path| lookup_path_str(tcx, PathNS::Type, path))
                .collect(),
            effects: [false; Effect::ALL.len()],
        };
        // Many entries share a path (each I/O handle's `Read::read`): each is looked up once.
        let mut types: FxHashMap<String, Option<DefId>> = FxHashMap::default();
        let mut values: FxHashMap<String, Vec<DefId>> = FxHashMap::default();
        for entry in entries {
            let self_ty = match entry.self_ty.as_deref() {
                Some(path) => {
                    let found = *types
                        .entry(path.to_owned())
                        .or_insert_with(|| lookup_path_str(tcx, PathNS::Type, path).first().copied());
                    match found {
                        Some(def_id) => Some(def_id),
                        // The restricting type is absent, so no call can match.
                        None => continue,
                    }
                }
                None => None,
            };
            let def_ids = values
                .entry(entry.path.to_string())
                .or_insert_with(|| lookup_path_str(tcx, PathNS::Value, &entry.path))
                .clone();
            for def_id in def_ids {
                for effect in Effect::ALL {
                    catalogue.effects[effect.index()] |= effect.includes(entry.category);
                }
                catalogue.by_def_id.entry(def_id).or_default().push(Resolved {
                    entry: entry.clone(),
                    self_ty,
                });
            }
        }
        catalogue
    }

    /// Whether some entry of this build has `effect`.
    #[must_use]
    pub fn has(&self, effect: Effect) -> bool {
        self.effects[effect.index()]
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
                Some(wanted) => {
                    let first = args.types().next()?;
                    // A trait method's `Self` may be borrowed (`&mut File`); a free function's
                    // argument type is taken as it is (`drop(&runtime)` drops a reference).
                    let first = if resolved.entry.is_trait_method() {
                        first
                    } else if first.is_ref() {
                        return None;
                    } else {
                        first
                    };
                    (self.innermost_adt(first) == Some(wanted)).then_some(&resolved.entry)
                }
            })
    }

    /// The ADT under references and buffering wrappers.
    fn innermost_adt(&self, mut ty: Ty<'_>) -> Option<DefId> {
        loop {
            let ty::Adt(adt, adt_args) = ty.peel_refs().kind() else {
                return None;
            };
            if !self.wrappers.contains(&adt.did()) {
                return Some(adt.did());
            }
            ty = adt_args.types().next()?;
        }
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

/// The `Drop::drop` of each type named (types without a destructor, or absent, give none).
#[must_use]
pub fn resolve_destructors<'a>(tcx: TyCtxt<'_>, types: impl IntoIterator<Item = &'a str>) -> FxHashSet<DefId> {
    types
        .into_iter()
        .flat_map(|path| lookup_path_str(tcx, PathNS::Type, path))
        .filter(|&ty| {
            matches!(
                tcx.def_kind(ty),
                rustc_hir::def::DefKind::Struct | rustc_hir::def::DefKind::Enum
            )
        })
        .filter_map(|ty| tcx.adt_def(ty).destructor(tcx))
        .map(|destructor| destructor.did)
        .collect()
}
