//! A table with no rows would be an enum no response can carry.

#[error_spec::error_table(version = "1.0.0", categories(Auth))]
pub enum ErrorCode {}

fn main() {}
