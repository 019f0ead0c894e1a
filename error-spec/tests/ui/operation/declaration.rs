// Every mistake of a declaration, each reported at its place in one build: a code listed
// twice, an unknown key, a path without its `/`, and a declaration without `errors(...)`.
#[error_spec::operation(get, path = "/runs", errors(NotFound, Gone, NotFound), reads_bdy)]
async fn list() -> Result<(), ListRunError> {
    Err(ListRunError::gone())
}

#[error_spec::operation(post, path = "runs")]
async fn create() -> Result<(), CreateRunError> {
    Ok(())
}

#[error_spec::operation(errors(NotFound))]
async fn orphan() {}

fn main() {
    let _ = (list(), create(), orphan());
}
