//! The table is an enum: a struct is rejected at its name.

#[error_spec::error_table(version = "1.0.0", categories(Auth))]
pub struct ErrorCode {
    code: u16,
}

fn main() {}
