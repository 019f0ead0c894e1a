//! One declaration per operation: `#[error_spec::operation]` above `#[utoipa::path]` gives
//! the operation its derived `operationId`, exactly its codes as error responses (each
//! status once, one example per code, the headers those codes carry) and `x-error-codes`;
//! an `Api` adds the layers' codes to the operations they wrap.

use error_spec::ErrorCode;
use error_spec::operation::{Api, LayerErrors, Wraps};
use error_spec_openapi::ErrorComponents;
use serde_json::Value;
use utoipa::OpenApi;

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[allow(dead_code, reason = "only its schema is used")]
struct NewRun {
    prompt: String,
}

/// Starts a run.
#[error_spec::operation(errors(PreflightFailed, InvalidRequest, ValidationError))]
#[utoipa::path(post, path = "/runs", request_body = NewRun, responses(
    (status = 200, description = "The run"),
))]
#[allow(dead_code, reason = "only its declaration is used")]
async fn create() -> Result<(), CreateRunError> {
    Err(CreateRunError::preflight_failed())
}

/// A run by id.
#[error_spec::operation(errors(NotFound, Gone))]
#[utoipa::path(get, path = "/runs/{run_id}", params(("run_id" = String, Path)), responses(
    (status = 200, description = "The run"),
))]
#[allow(dead_code, reason = "only its declaration is used")]
async fn get() -> Result<(), GetRunError> {
    Err(GetRunError::gone())
}

#[derive(OpenApi)]
#[openapi(paths(create, get), modifiers(&ErrorComponents))]
struct Handlers;

const API: Api = Api::new(&[&CreateRunError::OPERATION, &GetRunError::OPERATION]).with_layers(&[
    LayerErrors::new("limiter", &[ErrorCode::RateLimitExceeded], Wraps::Every),
    LayerErrors::new(
        "body limit",
        &[ErrorCode::PayloadTooLarge],
        Wraps::ReadingBody,
    ),
]);

#[derive(OpenApi)]
#[openapi(paths(create, get), modifiers(&ErrorComponents, &API))]
struct WithLayers;

fn operation(doc: &utoipa::openapi::OpenApi, method: &str, path: &str) -> Value {
    let doc = serde_json::to_value(doc).expect("a document serializes");
    doc["paths"][path][method].clone()
}

/// The statuses of the operation's error responses, and under each the example names.
fn error_responses(operation: &Value) -> Vec<(String, Vec<String>)> {
    let responses = operation["responses"].as_object().expect("responses");
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('4') || status.starts_with('5'))
        .map(|(status, response)| {
            let examples = response["content"]["application/problem+json"]["examples"]
                .as_object()
                .expect("examples")
                .keys()
                .cloned()
                .collect();
            (status.clone(), examples)
        })
        .collect()
}

fn owned(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(status, codes)| {
            (
                (*status).to_owned(),
                codes.iter().map(|code| (*code).to_owned()).collect(),
            )
        })
        .collect()
}

#[test]
fn the_operation_id_comes_from_the_handler_and_the_path() {
    let doc = Handlers::openapi();
    assert_eq!(operation(&doc, "post", "/runs")["operationId"], "createRun");
    assert_eq!(
        operation(&doc, "get", "/runs/{run_id}")["operationId"],
        "getRun"
    );
    assert!(error_spec_openapi::operation_id_problems(&doc).is_empty());
}

#[test]
fn each_operation_documents_exactly_its_codes() {
    let doc = Handlers::openapi();
    // `invalid_request` and `preflight_failed` share 400, and nothing else of 400 is there.
    assert_eq!(
        error_responses(&operation(&doc, "post", "/runs")),
        owned(&[
            ("400", &["invalid_request", "preflight_failed"]),
            ("422", &["validation_error"]),
        ])
    );
    assert_eq!(
        error_responses(&operation(&doc, "get", "/runs/{run_id}")),
        owned(&[("404", &["not_found"]), ("410", &["gone"])])
    );
    assert_eq!(
        operation(&doc, "get", "/runs/{run_id}")["x-error-codes"],
        serde_json::json!(["not_found", "gone"])
    );
}

#[test]
fn an_api_adds_each_layers_codes_to_the_operations_it_wraps() {
    let doc = WithLayers::openapi();
    let create = operation(&doc, "post", "/runs");
    assert_eq!(
        error_responses(&create),
        owned(&[
            ("400", &["invalid_request", "preflight_failed"]),
            ("413", &["payload_too_large"]),
            ("422", &["validation_error"]),
            ("429", &["rate_limit_exceeded"]),
        ])
    );
    // The body limit wraps only operations that read a body.
    let get = operation(&doc, "get", "/runs/{run_id}");
    assert_eq!(
        get["x-error-codes"],
        serde_json::json!(["not_found", "gone", "rate_limit_exceeded"])
    );
    assert_eq!(
        error_responses(&get),
        owned(&[
            ("404", &["not_found"]),
            ("410", &["gone"]),
            ("429", &["rate_limit_exceeded"]),
        ])
    );
}

#[test]
fn a_response_carries_the_headers_of_its_codes_only() {
    let doc = serde_json::to_value(WithLayers::openapi()).expect("serializes");
    let get = &doc["paths"]["/runs/{run_id}"]["get"]["responses"];
    let headers = |status: &str| -> Vec<String> {
        get[status]["headers"]
            .as_object()
            .expect("headers")
            .keys()
            .cloned()
            .collect()
    };
    assert!(headers("429").contains(&"Retry-After".to_owned()));
    assert!(!headers("404").contains(&"Retry-After".to_owned()));
    assert!(headers("404").contains(&"X-Request-Id".to_owned()));
    // Every header a response references is a component.
    for status in ["404", "410", "429"] {
        for header in headers(status) {
            assert!(
                doc["components"]["headers"][&header].is_object(),
                "{header} is not a component"
            );
        }
    }
}
