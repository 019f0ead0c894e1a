//! A row that is not a list is one error, and no key is called missing.

#[error_spec::error_table(version = "1.0.0", categories(Auth, Runtime))]
pub enum ErrorCode {
    #[error]
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
