//! Each row has a different slip; each is one error at its line, nothing else.

#[error_spec::error_table(version = "1.0.0", categories(Auth, Runtime))]
pub enum ErrorCode {
    #[error(
        code = "bad_key",
        status = 4_01,
        category = Auth,
        title = "Bad key"
        message = "The API key is bad.",
        when = "Key missing or revoked",
        remedy = "Send a valid key",
        retry = never,
    )]
    BadKey,

    #[error(
        code = "server_down",
        status = 503,
        category = Category::Runtime,
        title = "Down",
        message = "Try again soon.",
        when = "Maint\renance",
        remedy = "Retry after 30-60s",
        retry = backof,
    )]
    ServerDown,
}

fn main() {}
