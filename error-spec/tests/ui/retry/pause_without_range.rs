//! `pause` needs its range in seconds.

#[error_spec::error_table(version = "1.0.0", categories(Auth, Runtime))]
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

    #[error(
        code = "server_down",
        status = 503,
        category = Runtime,
        title = "Bad key",
        message = "The API key is bad.",
        when = "Key missing or revoked",
        remedy = "Send a valid key",
        retry = pause,
    )]
    ServerDown,
}

fn main() {}
