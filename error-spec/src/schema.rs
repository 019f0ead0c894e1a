//! JSON Schemas of the wire types, for OpenAPI (`utoipa` feature) and for schemars users
//! such as aide (`schemars` feature).
//!
//! The structs derive their schemas, so the field lists and their docs are the types' own.
//! The types with a hand-written wire form are described here: [`ErrorCode`] (and
//! [`Code`](crate::Code), which reads it) as an open list, `anyOf` the `KnownErrorCode`
//! enum of this version's codes (each with its *when* and *remedy*) or any other string,
//! because new codes are added in minor versions and a client generated from an older
//! document must still read them; [`UserMessage`](crate::UserMessage) and
//! [`JsonPointer`](crate::JsonPointer) as strings.
//!
//! The known codes are a plain `enum` of the wire strings, not a `oneOf` of titled
//! one-value schemas: client generators name enum members after the values, but name
//! one-value schemas after their titles or number them.

use crate::ErrorCode;

/// The component name of the code schema: a known code or any other string.
pub const CODE_SCHEMA: &str = "ErrorCode";

/// The component name of the enum of the codes this version of the contract defines.
pub const KNOWN_CODE_SCHEMA: &str = "KnownErrorCode";

/// What the code list promises clients: it is open.
pub const EXTENSIBLE_NOTE: &str = "The list is extensible: new codes are added in minor \
     versions of the contract, so clients must accept a code they do not know and handle it \
     by its HTTP status.";

/// The description of a user-safe message.
const USER_MESSAGE_DESCRIPTION: &str =
    "Text safe to show an end user: no stack traces, no internal detail.";

/// The description of a JSON Pointer.
const POINTER_DESCRIPTION: &str = "An RFC 6901 JSON Pointer, e.g. `/inputs/0/url`.";

/// The description of one code in the schema: its *when* and *remedy*, word for word, as
/// plain text; [`known_code_schema_description`] escapes it where markdown is read.
pub fn code_description(code: ErrorCode) -> String {
    format!(
        "When: {} Remedy: {}",
        sentence(code.when()),
        sentence(code.remedy())
    )
}

/// `text` ending with a full stop, so two of them read as two sentences.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// The description of one code in the schema, with its deprecation when it has one.
fn entry_description(code: ErrorCode) -> String {
    match code.deprecated() {
        Some(note) => format!("Deprecated: {} {}", sentence(note), code_description(code)),
        None => code_description(code),
    }
}

/// The description of the code schema as a whole.
fn code_schema_description() -> String {
    format!(
        "The `error` member: the code clients branch on, one of `{KNOWN_CODE_SCHEMA}` or a \
         code newer than this document. {EXTENSIBLE_NOTE}"
    )
}

/// The description of the known-code enum: one paragraph per code with its *when* and
/// *remedy*, since an `enum` has no place for per-value text that generators read.
/// Paragraphs, not a list: every doc renderer shows a paragraph's text as it is.
///
/// Doc tools render a `description` as CommonMark, so the table's texts are escaped to show
/// as written (`sk_live_*` stays `sk_live_*`, never emphasis, HTML or a link).
pub fn known_code_schema_description() -> String {
    let mut text = String::from(
        "The codes this version of the contract defines. A client keeps these typed and \
         reads any other string as a newer code.",
    );
    for &code in ErrorCode::ALL {
        text.push_str(&format!(
            "\n\n`{}`: {}",
            code.as_str(),
            error_rules::markdown::escape_inline(&entry_description(code))
        ));
    }
    text
}

/// The per-value descriptions, in enum order, for the `x-enum-descriptions` extension that
/// openapi-typescript and openapi-generator turn into member docs.
pub fn known_code_descriptions() -> Vec<String> {
    ErrorCode::ALL
        .iter()
        .map(|&code| entry_description(code))
        .collect()
}

#[cfg(feature = "utoipa")]
mod utoipa_impls {
    use std::borrow::Cow;

    use utoipa::openapi::extensions::ExtensionsBuilder;
    use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
    use utoipa::openapi::{Ref, RefOr};
    use utoipa::{PartialSchema, ToSchema};

    use super::{
        CODE_SCHEMA, KNOWN_CODE_SCHEMA, POINTER_DESCRIPTION, USER_MESSAGE_DESCRIPTION,
        code_schema_description, known_code_descriptions, known_code_schema_description,
    };
    use crate::{Code, ErrorCode, JsonPointer, UserMessage};

    /// The `KnownErrorCode` schema: a string `enum` of every code of this version, with the
    /// codes' *when* and *remedy* in its description and in `x-enum-descriptions`.
    fn known_code_schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(ErrorCode::WIRE_STRINGS.iter().copied()))
            .description(Some(known_code_schema_description()))
            .extensions(Some(
                ExtensionsBuilder::new()
                    .add("x-enum-descriptions", known_code_descriptions())
                    .build(),
            ))
            .into()
    }

    impl PartialSchema for ErrorCode {
        /// `anyOf` a reference to `KnownErrorCode` or any string: generated clients keep the
        /// known codes typed and carry a newer one as a string. `x-extensible-enum` lists the
        /// known codes for tools that read that convention.
        fn schema() -> RefOr<Schema> {
            AnyOfBuilder::new()
                .item(Ref::from_schema_name(KNOWN_CODE_SCHEMA))
                .item(ObjectBuilder::new().schema_type(Type::String))
                .description(Some(code_schema_description()))
                .extensions(Some(
                    ExtensionsBuilder::new()
                        .add("x-extensible-enum", ErrorCode::WIRE_STRINGS.to_vec())
                        .build(),
                ))
                .into()
        }
    }

    impl ToSchema for ErrorCode {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed(CODE_SCHEMA)
        }

        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            schemas.push((KNOWN_CODE_SCHEMA.to_owned(), known_code_schema()));
        }
    }

    impl PartialSchema for Code {
        /// The same schema as [`ErrorCode`]: readers accept codes beyond it.
        fn schema() -> RefOr<Schema> {
            ErrorCode::schema()
        }
    }

    impl ToSchema for Code {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed(CODE_SCHEMA)
        }

        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            ErrorCode::schemas(schemas);
        }
    }

    impl PartialSchema for UserMessage {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(USER_MESSAGE_DESCRIPTION))
                .into()
        }
    }

    impl ToSchema for UserMessage {}

    impl PartialSchema for JsonPointer {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::Custom("json-pointer".to_owned())))
                .description(Some(POINTER_DESCRIPTION))
                .examples(["/inputs/0/url"])
                .into()
        }
    }

    impl ToSchema for JsonPointer {}
}

#[cfg(feature = "schemars")]
mod schemars_impls {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    use super::{
        CODE_SCHEMA, KNOWN_CODE_SCHEMA, POINTER_DESCRIPTION, USER_MESSAGE_DESCRIPTION,
        code_schema_description, known_code_descriptions, known_code_schema_description,
    };
    use crate::{Code, ErrorCode, JsonPointer, UserMessage};

    /// Stands for the `KnownErrorCode` definition, so schemars files it once under its name
    /// and [`ErrorCode`] references it.
    struct KnownCodes;

    impl JsonSchema for KnownCodes {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed(KNOWN_CODE_SCHEMA)
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "type": "string",
                "enum": ErrorCode::WIRE_STRINGS,
                "description": known_code_schema_description(),
                "x-enum-descriptions": known_code_descriptions(),
            })
        }
    }

    impl JsonSchema for ErrorCode {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed(CODE_SCHEMA)
        }

        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": code_schema_description(),
                "anyOf": [generator.subschema_for::<KnownCodes>(), {"type": "string"}],
                "x-extensible-enum": ErrorCode::WIRE_STRINGS,
            })
        }
    }

    impl JsonSchema for Code {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed(CODE_SCHEMA)
        }

        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            ErrorCode::json_schema(generator)
        }
    }

    impl JsonSchema for UserMessage {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed("UserMessage")
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "type": "string",
                "description": USER_MESSAGE_DESCRIPTION,
            })
        }
    }

    impl JsonSchema for JsonPointer {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed("JsonPointer")
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "type": "string",
                "format": "json-pointer",
                "description": POINTER_DESCRIPTION,
            })
        }
    }
}
