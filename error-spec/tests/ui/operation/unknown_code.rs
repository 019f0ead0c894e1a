// A declaration names a code the table does not have.
#[error_spec::operation(get, path = "/runs/{run_id}", errors(NotFound, NotFund))]
async fn get() -> Result<(), GetRunError> {
    Err(GetRunError::not_found())
}

fn main() {
    let _ = get();
}
