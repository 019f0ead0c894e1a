//! The workspace's own table, compiled again outside `error-spec`: the macro accepts every
//! row under the current rules, and expands it to the same codes the runtime crate has.

#[path = "../../../src/table.rs"]
mod table;

fn main() {
    assert_eq!(table::ErrorCode::COUNT, error_spec::ErrorCode::COUNT);
    assert_eq!(
        table::ErrorCode::WIRE_STRINGS[..],
        error_spec::ErrorCode::WIRE_STRINGS[..]
    );
    assert_eq!(
        table::Category::WIRE_STRINGS[..],
        error_spec::Category::WIRE_STRINGS[..]
    );
    for (ours, theirs) in table::ErrorCode::ALL.iter().zip(error_spec::ErrorCode::ALL) {
        assert_eq!(ours.status(), theirs.status());
        assert_eq!(ours.retry(), theirs.retry());
        assert_eq!(ours.message(), theirs.message());
    }
}
