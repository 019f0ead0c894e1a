//! Tables of 40 rows and of one: what the macro emits serializes at any size.
//!
//! serde implements `Serialize` for arrays of up to 32 elements only, so a generated
//! `[&str; N]` stopped compiling (`json_schema!`, `serde_json::json!`) the day a table grew
//! its 33rd row. The larger tables, with every feature, are `.ci/scale`'s job; this one
//! keeps the cheap check in `cargo test`.

#[error_spec::error_table(version = "1.0.0", categories(Wide))]
pub enum WideCode {
    #[error(code = "code_00", status = 400, category = Wide, title = "T0", message = "M0.", when = "W0", remedy = "R0", retry = never)]
    Code00,
    #[error(code = "code_01", status = 400, category = Wide, title = "T1", message = "M1.", when = "W1", remedy = "R1", retry = never)]
    Code01,
    #[error(code = "code_02", status = 400, category = Wide, title = "T2", message = "M2.", when = "W2", remedy = "R2", retry = never)]
    Code02,
    #[error(code = "code_03", status = 400, category = Wide, title = "T3", message = "M3.", when = "W3", remedy = "R3", retry = never)]
    Code03,
    #[error(code = "code_04", status = 400, category = Wide, title = "T4", message = "M4.", when = "W4", remedy = "R4", retry = never)]
    Code04,
    #[error(code = "code_05", status = 400, category = Wide, title = "T5", message = "M5.", when = "W5", remedy = "R5", retry = never)]
    Code05,
    #[error(code = "code_06", status = 400, category = Wide, title = "T6", message = "M6.", when = "W6", remedy = "R6", retry = never)]
    Code06,
    #[error(code = "code_07", status = 400, category = Wide, title = "T7", message = "M7.", when = "W7", remedy = "R7", retry = never)]
    Code07,
    #[error(code = "code_08", status = 400, category = Wide, title = "T8", message = "M8.", when = "W8", remedy = "R8", retry = never)]
    Code08,
    #[error(code = "code_09", status = 400, category = Wide, title = "T9", message = "M9.", when = "W9", remedy = "R9", retry = never)]
    Code09,
    #[error(code = "code_10", status = 400, category = Wide, title = "T10", message = "M10.", when = "W10", remedy = "R10", retry = never)]
    Code10,
    #[error(code = "code_11", status = 400, category = Wide, title = "T11", message = "M11.", when = "W11", remedy = "R11", retry = never)]
    Code11,
    #[error(code = "code_12", status = 400, category = Wide, title = "T12", message = "M12.", when = "W12", remedy = "R12", retry = never)]
    Code12,
    #[error(code = "code_13", status = 400, category = Wide, title = "T13", message = "M13.", when = "W13", remedy = "R13", retry = never)]
    Code13,
    #[error(code = "code_14", status = 400, category = Wide, title = "T14", message = "M14.", when = "W14", remedy = "R14", retry = never)]
    Code14,
    #[error(code = "code_15", status = 400, category = Wide, title = "T15", message = "M15.", when = "W15", remedy = "R15", retry = never)]
    Code15,
    #[error(code = "code_16", status = 400, category = Wide, title = "T16", message = "M16.", when = "W16", remedy = "R16", retry = never)]
    Code16,
    #[error(code = "code_17", status = 400, category = Wide, title = "T17", message = "M17.", when = "W17", remedy = "R17", retry = never)]
    Code17,
    #[error(code = "code_18", status = 400, category = Wide, title = "T18", message = "M18.", when = "W18", remedy = "R18", retry = never)]
    Code18,
    #[error(code = "code_19", status = 400, category = Wide, title = "T19", message = "M19.", when = "W19", remedy = "R19", retry = never)]
    Code19,
    #[error(code = "code_20", status = 400, category = Wide, title = "T20", message = "M20.", when = "W20", remedy = "R20", retry = never)]
    Code20,
    #[error(code = "code_21", status = 400, category = Wide, title = "T21", message = "M21.", when = "W21", remedy = "R21", retry = never)]
    Code21,
    #[error(code = "code_22", status = 400, category = Wide, title = "T22", message = "M22.", when = "W22", remedy = "R22", retry = never)]
    Code22,
    #[error(code = "code_23", status = 400, category = Wide, title = "T23", message = "M23.", when = "W23", remedy = "R23", retry = never)]
    Code23,
    #[error(code = "code_24", status = 400, category = Wide, title = "T24", message = "M24.", when = "W24", remedy = "R24", retry = never)]
    Code24,
    #[error(code = "code_25", status = 400, category = Wide, title = "T25", message = "M25.", when = "W25", remedy = "R25", retry = never)]
    Code25,
    #[error(code = "code_26", status = 400, category = Wide, title = "T26", message = "M26.", when = "W26", remedy = "R26", retry = never)]
    Code26,
    #[error(code = "code_27", status = 400, category = Wide, title = "T27", message = "M27.", when = "W27", remedy = "R27", retry = never)]
    Code27,
    #[error(code = "code_28", status = 400, category = Wide, title = "T28", message = "M28.", when = "W28", remedy = "R28", retry = never)]
    Code28,
    #[error(code = "code_29", status = 400, category = Wide, title = "T29", message = "M29.", when = "W29", remedy = "R29", retry = never)]
    Code29,
    #[error(code = "code_30", status = 400, category = Wide, title = "T30", message = "M30.", when = "W30", remedy = "R30", retry = never)]
    Code30,
    #[error(code = "code_31", status = 400, category = Wide, title = "T31", message = "M31.", when = "W31", remedy = "R31", retry = never)]
    Code31,
    #[error(code = "code_32", status = 400, category = Wide, title = "T32", message = "M32.", when = "W32", remedy = "R32", retry = never)]
    Code32,
    #[error(code = "code_33", status = 400, category = Wide, title = "T33", message = "M33.", when = "W33", remedy = "R33", retry = never)]
    Code33,
    #[error(code = "code_34", status = 400, category = Wide, title = "T34", message = "M34.", when = "W34", remedy = "R34", retry = never)]
    Code34,
    #[error(code = "code_35", status = 400, category = Wide, title = "T35", message = "M35.", when = "W35", remedy = "R35", retry = never)]
    Code35,
    #[error(code = "code_36", status = 400, category = Wide, title = "T36", message = "M36.", when = "W36", remedy = "R36", retry = never)]
    Code36,
    #[error(code = "code_37", status = 400, category = Wide, title = "T37", message = "M37.", when = "W37", remedy = "R37", retry = never)]
    Code37,
    #[error(code = "code_38", status = 400, category = Wide, title = "T38", message = "M38.", when = "W38", remedy = "R38", retry = never)]
    Code38,
    #[error(code = "code_39", status = 400, category = Wide, title = "T39", message = "M39.", when = "W39", remedy = "R39", retry = never)]
    Code39,
}

#[test]
fn the_generated_lists_of_a_40_row_table_serialize() {
    assert_eq!(WideCode::COUNT, 40);
    let wire = serde_json::to_value(WideCode::WIRE_STRINGS).expect("the wire strings serialize");
    let all = serde_json::to_value(WideCode::ALL).expect("every code serializes");
    assert_eq!(
        wire, all,
        "ALL serializes as the wire strings, in table order"
    );
    let listed = wire.as_array().expect("a JSON array");
    assert_eq!(listed.len(), 40);
    assert_eq!(listed[39], "code_39");
    let schema_like = serde_json::json!({ "enum": WideCode::WIRE_STRINGS });
    assert_eq!(schema_like["enum"], wire);
}

/// The smallest table: one row, one category (each table declares its own `Category`).
mod one {
    #[error_spec::error_table(version = "0.1.0", categories(Only))]
    pub enum OneCode {
        #[error(code = "only", status = 500, category = Only, title = "T", message = "M.", when = "W", remedy = "R", retry = backoff)]
        Only,
    }

    #[test]
    fn a_one_row_table_has_every_list_of_one() {
        assert_eq!(OneCode::COUNT, 1);
        assert_eq!(OneCode::ALL, [OneCode::Only]);
        assert_eq!(
            serde_json::to_value(OneCode::WIRE_STRINGS).expect("the wire strings serialize"),
            serde_json::json!(["only"])
        );
        assert_eq!("only".parse::<OneCode>(), Ok(OneCode::Only));
    }
}
