//! The wire strings of [`ErrorCode`] and [`Category`]: every way in and out agrees, and
//! nothing but the exact string is accepted.
//!
//! Clients match the `error` field byte for byte, so a code that printed one way and parsed
//! another, or a parser that forgave case or whitespace, would split the contract in two.

use std::collections::BTreeSet;
use std::str::FromStr;

use error_spec::{Category, ErrorCode, ParseError, error_statuses};
use strum::{EnumCount, IntoEnumIterator, VariantArray, VariantNames};

#[test]
fn every_code_round_trips_through_every_conversion() {
    for &code in ErrorCode::ALL {
        let wire = code.as_str();
        assert_eq!(ErrorCode::from_str(wire), Ok(code), "FromStr of `{wire}`");
        assert_eq!(ErrorCode::try_from(wire), Ok(code), "TryFrom of `{wire}`");
        assert_eq!(
            ErrorCode::from_wire(wire),
            Some(code),
            "from_wire of `{wire}`"
        );
        assert_eq!(code.to_string(), wire, "Display of {code:?}");
        assert_eq!(code.as_ref(), wire, "AsRef of {code:?}");
        assert_eq!(<&str>::from(code), wire, "From of {code:?}");
        assert_eq!(code.spec().wire, wire, "spec().wire of {code:?}");

        let json = serde_json::to_string(&code).expect("a code serializes");
        assert_eq!(json, format!("\"{wire}\""), "serde of {code:?}");
        let back: ErrorCode = serde_json::from_str(&json).expect("a code deserializes");
        assert_eq!(back, code);
    }
}

#[test]
fn known_codes_parse_to_their_variants() {
    // Spelled out by hand from the reference, so a renamed wire string fails here.
    let known = [
        ("invalid_api_key", ErrorCode::InvalidApiKey),
        ("insufficient_credits", ErrorCode::InsufficientCredits),
        (
            "sync_timeout_upgrade_async",
            ErrorCode::SyncTimeoutUpgradeAsync,
        ),
        ("rate_limit_exceeded", ErrorCode::RateLimitExceeded),
        ("not_implemented", ErrorCode::NotImplemented),
    ];
    for (wire, code) in known {
        assert_eq!(wire.parse::<ErrorCode>(), Ok(code));
        assert_eq!(code.as_str(), wire);
    }
}

#[test]
fn wire_strings_are_distinct_lowercase_snake_case() {
    let wires: BTreeSet<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(
        wires.len(),
        ErrorCode::COUNT,
        "two codes share a wire string"
    );
    for wire in wires {
        assert!(
            !wire.is_empty()
                && !wire.starts_with('_')
                && !wire.ends_with('_')
                && wire.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "`{wire}` is not lowercase snake_case"
        );
    }
}

#[test]
fn the_parse_error_names_the_rejected_input() {
    let err = "rate_limit".parse::<ErrorCode>().expect_err("not a code");
    assert_eq!(err.input(), "rate_limit");
    assert_eq!(err.kind(), "error code");
    assert_eq!(err.to_string(), "unknown error code `rate_limit`");

    let err = "runtimes".parse::<Category>().expect_err("not a category");
    assert_eq!(err.input(), "runtimes");
    assert_eq!(err.kind(), "category");
    assert_eq!(err.to_string(), "unknown category `runtimes`");
}

#[test]
fn the_parse_error_shows_control_characters_escaped_and_cuts_long_input() {
    let err = "not_found\n".parse::<ErrorCode>().expect_err("padded");
    assert_eq!(err.input(), "not_found\n", "the input is kept whole");
    assert_eq!(err.to_string(), "unknown error code `not_found\\n`");

    let long = "x".repeat(1000);
    let err = long.parse::<ErrorCode>().expect_err("not a code");
    assert_eq!(err.input(), long, "the input is kept whole");
    assert!(
        err.to_string().len() < 200,
        "a long input floods the message: {} bytes",
        err.to_string().len()
    );
}

/// Strings close to a real code that must still be rejected: parsing is exact.
const NEAR_MISSES: &[&str] = &[
    "",
    " ",
    "unknown_code",
    "rate_limit",
    "NOT_FOUND",
    "Not_Found",
    "notFound",
    "not-found",
    "notfound",
    " not_found",
    "not_found ",
    "not_found\n",
    "\tnot_found",
    "not_found\0",
    "\"not_found\"",
    "not_found,gone",
];

#[test]
fn unknown_empty_uppercase_and_padded_strings_are_rejected() {
    for &input in NEAR_MISSES {
        let err: ParseError = ErrorCode::from_str(input).expect_err(input);
        assert_eq!(err.input(), input);
        assert_eq!(ErrorCode::from_wire(input), None, "from_wire of {input:?}");
        assert!(ErrorCode::try_from(input).is_err(), "TryFrom of {input:?}");

        let json = serde_json::to_string(input).expect("a string serializes");
        assert!(
            serde_json::from_str::<ErrorCode>(&json).is_err(),
            "serde accepted {input:?}"
        );
    }
}

#[test]
fn serde_rejects_non_strings() {
    for json in ["null", "0", "404", "[]", "{}", r#"{"error":"not_found"}"#] {
        assert!(
            serde_json::from_str::<ErrorCode>(json).is_err(),
            "serde accepted {json}"
        );
    }
}

#[test]
fn all_and_strum_agree_on_the_variants() {
    assert_eq!(ErrorCode::ALL.len(), ErrorCode::COUNT);
    assert_eq!(<ErrorCode as EnumCount>::COUNT, ErrorCode::COUNT);
    assert_eq!(<ErrorCode as VariantArray>::VARIANTS, ErrorCode::ALL);
    assert_eq!(ErrorCode::iter().collect::<Vec<_>>(), ErrorCode::ALL);
    let names: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(<ErrorCode as VariantNames>::VARIANTS, names);
    assert_eq!(ErrorCode::WIRE_STRINGS, names);
    let distinct: BTreeSet<ErrorCode> = ErrorCode::ALL.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        ErrorCode::COUNT,
        "ALL lists a variant twice"
    );
    // The reference lists 16 codes; this is the one count stated independently here.
    assert_eq!(ErrorCode::COUNT, 16);
}

#[test]
fn every_status_is_an_error_status() {
    let listed: BTreeSet<u16> = error_statuses().map(|status| status.as_u16()).collect();
    for &code in ErrorCode::ALL {
        let status = code.status();
        assert!(
            status.is_client_error() || status.is_server_error(),
            "{code:?} is sent with {status}"
        );
        assert!((400..=599).contains(&status.as_u16()));
        assert_eq!(http::StatusCode::from(code), status);
        assert!(
            listed.contains(&status.as_u16()),
            "{status} of {code:?} is missing from error_statuses()"
        );
    }
}

#[test]
fn every_category_round_trips_and_holds_its_codes() {
    assert_eq!(<Category as VariantArray>::VARIANTS, Category::ALL);
    assert_eq!(<Category as EnumCount>::COUNT, Category::ALL.len());
    for &category in Category::ALL {
        let wire = category.as_str();
        assert_eq!(
            Category::from_str(wire),
            Ok(category),
            "FromStr of `{wire}`"
        );
        assert_eq!(category.to_string(), wire);
        let json = serde_json::to_string(&category).expect("a category serializes");
        assert_eq!(json, format!("\"{wire}\""));
        assert_eq!(
            serde_json::from_str::<Category>(&json).expect("a category deserializes"),
            category
        );
        // The wire string is the heading in lowercase: `Authentication` is `authentication`.
        assert_eq!(wire, category.name().to_lowercase());
        assert!(
            Category::from_str(category.name()).is_err(),
            "the heading is not the wire string"
        );
        assert!(category.codes().all(|code| code.category() == category));
        assert!(
            category.codes().next().is_some(),
            "{category:?} has no codes"
        );
    }
    let total: usize = Category::ALL.iter().map(|c| c.codes().count()).sum();
    assert_eq!(
        total,
        ErrorCode::COUNT,
        "every code is in exactly one category"
    );
    assert_eq!(
        Category::from_str("").map_err(|e| e.input().to_owned()),
        Err(String::new())
    );
}
