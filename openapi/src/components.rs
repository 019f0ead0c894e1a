//! The components: schemas, responses and headers, and merging them into a server's document.

use std::collections::BTreeMap;

use error_spec::headers::{self, ValueType};
use error_spec::{ErrorBody, ErrorCode, FailedTask, FieldError};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Components, OpenApi, RefOr, Schema};
use utoipa::{Modify, PartialSchema, ToSchema};

use crate::response;

/// Every component of the error contract.
pub fn components() -> Components {
    let mut components = Components::new();
    components.schemas = schemas();
    components.headers = headers::ALL
        .iter()
        .map(|header| {
            let schema = ObjectBuilder::new().schema_type(match header.value {
                ValueType::Integer => Type::Integer,
                ValueType::String => Type::String,
            });
            let header_object = HeaderBuilder::new()
                .schema(Some(schema))
                .description(Some(header.description))
                .build();
            (header.spelling.to_owned(), RefOr::T(header_object))
        })
        .collect();
    components.responses = response::responses();
    components
}

/// The schemas: the derived ones first, then the hand-built code schema, last, so that no
/// derived schema of the same name can replace it.
fn schemas() -> BTreeMap<String, RefOr<Schema>> {
    let mut schemas: Vec<(String, RefOr<Schema>)> = Vec::new();
    <ErrorBody as ToSchema>::schemas(&mut schemas);
    <FailedTask as ToSchema>::schemas(&mut schemas);
    for (name, schema) in [
        (ErrorBody::name(), ErrorBody::schema()),
        (FieldError::name(), FieldError::schema()),
        (FailedTask::name(), FailedTask::schema()),
    ] {
        schemas.push((name.into_owned(), schema));
    }
    let mut schemas: BTreeMap<String, RefOr<Schema>> = schemas.into_iter().collect();
    schemas.insert(ErrorCode::name().into_owned(), ErrorCode::schema());
    schemas
}

/// Merges the error contract's components into `doc`: its schemas, responses and headers
/// replace any of the same name, because the contract's must win; everything else in
/// `doc` stays. (utoipa's own `OpenApi::merge` keeps the first of two same-named
/// components and ignores headers, so it is not used here.)
pub fn merge_into(doc: &mut OpenApi) {
    let ours = components();
    let theirs = doc.components.get_or_insert_with(Components::new);
    theirs.schemas.extend(ours.schemas);
    theirs.responses.extend(ours.responses);
    theirs.headers.extend(ours.headers);
}

/// A utoipa modifier that merges the components: `#[openapi(modifiers(&ErrorComponents))]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorComponents;

impl Modify for ErrorComponents {
    fn modify(&self, openapi: &mut OpenApi) {
        merge_into(openapi);
    }
}
