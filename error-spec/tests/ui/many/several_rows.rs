//! Several rows, each broken differently: every error is reported in one build, and nothing else.

#[error_spec::error_table(version = "1.0.0", categories(Auth, Runtime))]
pub enum ErrorCode {
    #[error(
        code = "Bad-Key",
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
        code = "no_credits",
        status = 302,
        category = Billing,
        title = "No credits",
        message = "The API key is bad.",
        when = "Key missing or revoked",
        remedy = "Send a valid key",
        retry = never,
    )]
    NoCredits,

    #[error(
        code = "limited",
        status = 429,
        category = Runtim,
        title = "Limited",
        message = "The API key is bad.",
        when = "Key missing or revoked",
        retry = backoff,
    )]
    Limited,

    #[error(
        code = "server_down",
        status = 503,
        category = Runtime,
        title = "Down",
        message = "Try again soon.",
        when = "",
        remedy = "Retry after 30-60s",
        retry = pause(30, 60),
        titel = "x",
    )]
    ServerDown,
}

fn main() {}
