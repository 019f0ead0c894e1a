//! The declared operations: one [`Operation`]'s error contract, the layers' codes, and the
//! [`Api`] they make together, as plain data over [`ErrorCode`]. Below both `server` (whose
//! `contract_middleware` checks answers against it) and `operation` (which checks responses
//! and writes OpenAPI from it), so neither imports the other back; `operation` re-exports it.

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
/// `ServerConfig::with_api` (module `axum`, feature `axum`),
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
