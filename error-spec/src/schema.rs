//! JSON Schemas of the wire types, for OpenAPI (`utoipa` feature) and for schemars users
//! such as aide (`schemars` feature).
//!
//! The structs derive their schemas, so the field lists and their docs are the types' own.
//! The types with a hand-written wire form are described here: [`ErrorCode`] (and
//! [`Code`](crate::Code), which reads it) as a `oneOf` of one-value string schemas, each
//! with its code's *when* and *remedy*, marked extensible because new codes are added in
//! minor versions; [`UserMessage`](crate::UserMessage) and
//! [`JsonPointer`](crate::JsonPointer) as strings.

use crate::ErrorCode;

/// The component name of the code schema.
pub const CODE_SCHEMA: &str = "ErrorCode";

/// What the code list promises clients: it is open.
pub const EXTENSIBLE_NOTE: &str = "The list is extensible: new codes are added in minor \
     versions of the contract, so clients must accept a code they do not know and handle it \
     by its HTTP status.";

/// The description of a user-safe message.
const USER_MESSAGE_DESCRIPTION: &str =
    "Text safe to show an end user: no stack traces, no internal detail.";

/// The description of a JSON Pointer.
const POINTER_DESCRIPTION: &str = "An RFC 6901 JSON Pointer, e.g. `/inputs/0/url`.";

/// The description of one code in the schema: its *when* and *remedy*, word for word.
///
/// Doc tools render a `description` as CommonMark, so the table's texts are escaped to show
/// as written (`sk_live_*` stays `sk_live_*`, never emphasis, HTML or a link).
pub fn code_description(code: ErrorCode) -> String {
    let escape = error_rules::markdown::escape_inline;
    format!(
        "When: {} Remedy: {}",
        escape(&sentence(code.when())),
        escape(&sentence(code.remedy()))
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

/// The description of the code schema as a whole.
fn code_schema_description() -> String {
    format!("The `error` member: the code clients branch on. {EXTENSIBLE_NOTE}",)
}

#[cfg(feature = "utoipa")]
mod utoipa_impls {
    use std::borrow::Cow;

    use utoipa::openapi::extensions::ExtensionsBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};
    use utoipa::openapi::{Deprecated, RefOr};
    use utoipa::{PartialSchema, ToSchema};

    use super::{
        CODE_SCHEMA, POINTER_DESCRIPTION, USER_MESSAGE_DESCRIPTION, code_description,
        code_schema_description,
    };
    use crate::{Code, ErrorCode, JsonPointer, UserMessage};

    impl PartialSchema for ErrorCode {
        /// A `oneOf` of `{type: string, enum: [code], description}`, one per code, valid in
        /// OpenAPI 3.0 and 3.1, with `x-extensible-enum` listing every code.
        fn schema() -> RefOr<Schema> {
            let mut one_of = OneOfBuilder::new()
                .description(Some(code_schema_description()))
                .extensions(Some(
                    ExtensionsBuilder::new()
                        .add("x-extensible-enum", ErrorCode::WIRE_STRINGS.to_vec())
                        .build(),
                ));
            for &code in ErrorCode::ALL {
                let deprecated = code.deprecated().map(|_| Deprecated::True);
                one_of = one_of.item(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([code.as_str()]))
                        .title(Some(code.title()))
                        .description(Some(code_description(code)))
                        .deprecated(deprecated),
                );
            }
            Schema::OneOf(one_of.build()).into()
        }
    }

    impl ToSchema for ErrorCode {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed(CODE_SCHEMA)
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
        CODE_SCHEMA, POINTER_DESCRIPTION, USER_MESSAGE_DESCRIPTION, code_description,
        code_schema_description,
    };
    use crate::{Code, ErrorCode, JsonPointer, UserMessage};

    impl JsonSchema for ErrorCode {
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed(CODE_SCHEMA)
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            let one_of: Vec<Schema> = ErrorCode::ALL
                .iter()
                .map(|&code| {
                    let mut schema = json_schema!({
                        "type": "string",
                        "enum": [code.as_str()],
                        "title": code.title(),
                        "description": code_description(code),
                    });
                    if code.deprecated().is_some() {
                        schema.insert("deprecated".to_owned(), true.into());
                    }
                    schema
                })
                .collect();
            json_schema!({
                "description": code_schema_description(),
                "oneOf": one_of,
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
