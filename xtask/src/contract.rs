//! `docs/contract.json`: the [`Contract`] model itself, for SDKs in other languages and for
//! `cargo xtask contract-diff`, which reads older copies of it back.

use crate::model::Contract;

/// Where `cargo xtask codegen` writes the contract.
pub(crate) const PATH: &str = crate::model::PATH;

/// The contract as pretty JSON; `codegen` adds the generated-file member in front.
pub(crate) fn render(model: &Contract) -> String {
    model.to_json()
}
