//! A text without quotes is one error at the text, and no key is called missing.

#[error_spec::error_table(version = "1.0.0", categories(Auth, Runtime))]
pub enum ErrorCode {
    #[error(
        code = "bad_key",
        status = 401,
        category = Auth,
        title = Bad key,
        message = "The API key is bad.",
        when = "Key missing or revoked",
        remedy = "Send a valid key",
        retry = never,
    )]
    BadKey,

    #[error(
        code = "server_down",
        status = 503,
        category = Runtime,
        title = "Down",
        message = "Try again soon.",
        when = "Maintenance",
        remedy = "Retry after 30-60s",
        retry = pause(30, 60),
    )]
    ServerDown,
}

fn main() {}
