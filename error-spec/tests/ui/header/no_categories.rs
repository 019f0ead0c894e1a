//! The header must declare the categories rows may use.

#[error_spec::error_table(version = "1.0.0")]
pub enum ErrorCode {
    #[error(
        code = "bad_key",
        status = 401,
        category = Auth,
        title = "Bad key",
        message = "The API key is bad.",
        when = "Key missing or revoked",
        remedy = "Send a valid key",
        retry = never,
    )]
    BadKey,
}

fn main() {}
