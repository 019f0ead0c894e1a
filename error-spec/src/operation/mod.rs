//! Per-operation error contracts: which codes of the table each operation can return,
//! declared once beside its handler.
//!
//! The table says which codes exist; an [`Operation`] says which of them one endpoint
//! answers with. `#[error_spec::operation(errors(...))]` on a handler writes the
//! declaration and derives everything else from it:
//!
//! - a narrowed error type, `GetRunError` for the operation `getRun`, with one constructor
//!   per declared code (`GetRunError::not_found()`) and nothing else, so a handler cannot
//!   return a code it did not declare: `GetRunError::conflict()` does not compile, and the
//!   error names the type (the operation) and the missing constructor (the code);
//! - its conversion into [`ApiError`](crate::ApiError) and, with the `axum` feature, into a
//!   response;
//! - with the `utoipa` feature, the operation's error responses (`utoipa::IntoResponses`:
//!   each status once, exactly the declared codes under it, one example per code, the
//!   headers those codes carry), its `operationId` and its `x-error-codes` list, written
//!   into the handler's `#[utoipa::path(...)]`;
//! - the [`Operation`] itself, `GetRunError::OPERATION`, which docs, the contract snapshot,
//!   tests and [`contract_middleware`](crate::axum::contract_middleware) read.
//!
//! Codes that a layer adds to every operation it wraps (the key check's `invalid_api_key`,
//! the limiter's `rate_limit_exceeded`, the panic catcher's `internal_error`, the body
//! limit's `payload_too_large`) are declared once, by a [`LayerErrors`], and an [`Api`]
//! puts operations and layers together: [`Api::codes`] is everything one operation can
//! answer with.
//!
//! ```
//! use error_spec::operation::{Api, LayerErrors, Wraps};
//! use error_spec::{ApiError, ErrorCode};
//!
//! #[error_spec::operation(get, path = "/runs/{run_id}", errors(NotFound, Gone))]
//! async fn get(run_id: String) -> Result<String, GetRunError> {
//!     if run_id == "run_expired" {
//!         return Err(GetRunError::gone().with_run_id(run_id));
//!     }
//!     Err(GetRunError::not_found().with_run_id(run_id))
//! }
//!
//! const API: Api = Api::new(&[&GetRunError::OPERATION]).with_layers(&[LayerErrors::new(
//!     "limiter",
//!     &[ErrorCode::RateLimitExceeded],
//!     Wraps::Every,
//! )]);
//!
//! assert_eq!(GetRunError::OPERATION.id, "getRun");
//! assert_eq!(GetRunError::OPERATION.errors, [ErrorCode::NotFound, ErrorCode::Gone]);
//! let op = API.find("GET", "/runs/{run_id}").expect("declared");
//! assert_eq!(
//!     API.codes(op),
//!     [ErrorCode::NotFound, ErrorCode::Gone, ErrorCode::RateLimitExceeded]
//! );
//!
//! let err: ApiError = GetRunError::gone().into();
//! assert_eq!(err.code(), ErrorCode::Gone);
//! ```
//!
//! A code the declaration does not list has no constructor:
//!
//! ```compile_fail,E0599
//! #[error_spec::operation(get, path = "/runs/{run_id}", errors(NotFound))]
//! async fn get() -> Result<(), GetRunError> {
//!     Err(GetRunError::conflict())
//! }
//! ```

mod check;
#[cfg(feature = "utoipa")]
mod openapi;

pub use check::{Conformance, Violation};
#[cfg(feature = "utoipa")]
pub use openapi::{EXAMPLE_REQUEST_ID, X_ERROR_CODES, responses_for, status_response};

use crate::ErrorCode;

/// One operation's error contract: its id, method and path, and the codes its handler can
/// return. Written by `#[error_spec::operation(...)]` as `<Type>::OPERATION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The `operationId`, e.g. `getRun` (see `error_rules::operation`).
    pub id: &'static str,
    /// The handler's function name.
    pub handler: &'static str,
    /// The HTTP method, uppercase: `GET`, `POST`, ...
    pub method: &'static str,
    /// The OpenAPI path template, e.g. `/runs/{run_id}`; axum 0.8 routes use the same syntax.
    pub path: &'static str,
    /// The codes the handler itself can return, in the declaration's order.
    pub errors: &'static [ErrorCode],
    /// Whether the operation reads a request body (its `#[utoipa::path]` has a
    /// `request_body`): layers that limit bodies add their codes only to these.
    pub reads_body: bool,
}

impl Operation {
    /// An operation; the macro writes this, tests and hand-written routes may too.
    pub const fn new(
        id: &'static str,
        handler: &'static str,
        method: &'static str,
        path: &'static str,
        errors: &'static [ErrorCode],
        reads_body: bool,
    ) -> Self {
        Operation {
            id,
            handler,
            method,
            path,
            errors,
            reads_body,
        }
    }

    /// Whether the handler itself declares `code`.
    pub fn declares(&self, code: ErrorCode) -> bool {
        self.errors.contains(&code)
    }
}

/// Which operations a layer's codes are added to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Wraps {
    /// Every operation of the [`Api`].
    Every,
    /// The operations that read a request body ([`Operation::reads_body`]).
    ReadingBody,
}

/// The codes one layer of the stack adds to the operations it wraps, declared once by the
/// layer rather than by every handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LayerErrors {
    /// What the layer is, for docs and logs: `limiter`, `panic catcher`, ...
    pub layer: &'static str,
    /// The codes it can answer with.
    pub errors: &'static [ErrorCode],
    /// The operations it wraps.
    pub wraps: Wraps,
}

impl LayerErrors {
    /// A layer's codes.
    pub const fn new(layer: &'static str, errors: &'static [ErrorCode], wraps: Wraps) -> Self {
        LayerErrors {
            layer,
            errors,
            wraps,
        }
    }

    /// Whether the layer wraps `operation`.
    pub fn wraps(&self, operation: &Operation) -> bool {
        match self.wraps {
            Wraps::Every => true,
            Wraps::ReadingBody => operation.reads_body,
        }
    }
}

/// A server's operations and the layers around them: what each operation can answer with.
///
/// With the `utoipa` feature it is also a `utoipa::Modify`: each documented operation gets
/// exactly [`Api::codes`] as its error responses and `x-error-codes`. Given to
/// [`ServerConfig::with_api`](crate::axum::ServerConfig::with_api) (feature `axum`),
/// `contract_middleware` checks every error response against it.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    operations: &'static [&'static Operation],
    layers: &'static [LayerErrors],
}

impl Api {
    /// The operations, without layers.
    pub const fn new(operations: &'static [&'static Operation]) -> Self {
        Api {
            operations,
            layers: &[],
        }
    }

    /// The layers' codes.
    #[must_use]
    pub const fn with_layers(mut self, layers: &'static [LayerErrors]) -> Self {
        self.layers = layers;
        self
    }

    /// Every operation, in the order given.
    pub fn operations(&self) -> &'static [&'static Operation] {
        self.operations
    }

    /// The layers, in the order given.
    pub fn layers(&self) -> &'static [LayerErrors] {
        self.layers
    }

    /// The operation serving `method` (any case) on the route `path` (the template axum
    /// matched, e.g. `/runs/{run_id}`).
    pub fn find(&self, method: &str, path: &str) -> Option<&'static Operation> {
        self.operations
            .iter()
            .copied()
            .find(|op| op.path == path && op.method.eq_ignore_ascii_case(method))
    }

    /// The operation whose `operationId` is `id`.
    pub fn by_id(&self, id: &str) -> Option<&'static Operation> {
        self.operations.iter().copied().find(|op| op.id == id)
    }

    /// Every code `operation` can answer with, in table order: its own and those of every
    /// layer that wraps it.
    pub fn codes(&self, operation: &Operation) -> Vec<ErrorCode> {
        ErrorCode::ALL
            .iter()
            .copied()
            .filter(|&code| self.can_answer(operation, code))
            .collect()
    }

    /// Whether `operation` can answer with `code`.
    pub fn can_answer(&self, operation: &Operation, code: ErrorCode) -> bool {
        operation.declares(code)
            || self
                .layers
                .iter()
                .any(|layer| layer.wraps(operation) && layer.errors.contains(&code))
    }

    /// Who declares `code` for `operation`: `handler`, or the names of the layers that add it.
    pub fn declared_by(&self, operation: &Operation, code: ErrorCode) -> Vec<&'static str> {
        let mut by = Vec::new();
        if operation.declares(code) {
            by.push("handler");
        }
        for layer in self.layers {
            if layer.wraps(operation) && layer.errors.contains(&code) {
                by.push(layer.layer);
            }
        }
        by
    }

    /// The operations that can answer with `code`, in the order given.
    pub fn operations_with(&self, code: ErrorCode) -> impl Iterator<Item = &'static Operation> {
        let api = *self;
        self.operations
            .iter()
            .copied()
            .filter(move |op| api.can_answer(op, code))
    }
}

/// Implemented by every narrowed error type `#[error_spec::operation]` writes.
pub trait OperationError: Into<crate::ApiError> + std::error::Error {
    /// The operation the type belongs to.
    const OPERATION: Operation;

    /// The error, as the response will carry it.
    fn as_api_error(&self) -> &crate::ApiError;
}

/// What the code generated by `#[error_spec::operation]` names; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::ApiError;

    /// Expands to its input when `error-spec` is built with `axum`, else to nothing.
    #[cfg(feature = "axum")]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __operation_if_axum {
        ($($tokens:tt)*) => { $($tokens)* };
    }

    /// Expands to its input when `error-spec` is built with `axum`, else to nothing.
    #[cfg(not(feature = "axum"))]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __operation_if_axum {
        ($($tokens:tt)*) => {};
    }

    /// Expands to its input when `error-spec` is built with `utoipa`, else to nothing.
    #[cfg(feature = "utoipa")]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __operation_if_utoipa {
        ($($tokens:tt)*) => { $($tokens)* };
    }

    /// Expands to its input when `error-spec` is built with `utoipa`, else to nothing.
    #[cfg(not(feature = "utoipa"))]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __operation_if_utoipa {
        ($($tokens:tt)*) => {};
    }

    pub use crate::{__operation_if_axum as if_axum, __operation_if_utoipa as if_utoipa};
    #[cfg(feature = "axum")]
    pub use ::axum;
    #[cfg(feature = "utoipa")]
    pub use ::utoipa;

    /// The error responses of `codes`, for the generated `utoipa::IntoResponses`.
    #[cfg(feature = "utoipa")]
    pub fn responses(
        codes: &[crate::ErrorCode],
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
        super::responses_for(codes)
    }

    /// The response of a narrowed error: rendered as [`ApiError`]'s.
    #[cfg(feature = "axum")]
    pub fn into_response(error: ApiError) -> axum::response::Response {
        axum::response::IntoResponse::into_response(error)
    }
}
