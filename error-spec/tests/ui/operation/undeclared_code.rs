// A handler returns a code its operation does not declare: `getRun` lists `not_found` and
// `gone`, and the handler answers `conflict`.
use error_spec::operation;

#[operation(get, path = "/runs/{run_id}", errors(NotFound, Gone))]
async fn get(run_id: String) -> Result<String, GetRunError> {
    if run_id.is_empty() {
        return Err(GetRunError::not_found());
    }
    Err(GetRunError::conflict().with_run_id(run_id))
}

fn main() {
    let _ = get(String::new());
}
