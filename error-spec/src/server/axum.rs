//! axum integration, behind the `axum` feature: errors as responses, and axum's own
//! rejections as errors of the contract, so a server never answers in plain text.
//!
//! - [`ApiError`] implements [`IntoResponse`]: a complete response, rendered once. Inside
//!   [`contract_middleware`] it has the request's id, the server's docs base URL and the
//!   key's rate-limit headers from the start (the middleware lends them through the request's
//!   scope, `server/scope.rs`); elsewhere it has a minted id.
//! - [`contract_middleware`] is a middleware (`axum::middleware::from_fn_with_state`) that gives
//!   every response the request's echoed-or-minted `X-Request-Id` and the rate-limit headers,
//!   and turns any other error response (the router's 404, a 405, a plain-text rejection)
//!   into the contract's body.
//! - [`Json`], [`Query`] and [`Path`] are axum's extractors with [`ApiError`] as rejection;
//!   `From` impls convert axum's rejections for code that uses axum's extractors directly.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::path::ErrorKind as PathErrorKind;
use axum::extract::rejection::{
    BytesRejection, FailedToBufferBody, JsonRejection, PathRejection, QueryRejection,
};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::Api;
use crate::server::scope::{self, Scope};
use crate::{
    ApiError, ErrorCode, JsonPointer, RateLimitState, RenderContext, RequestId, UserMessage,
};

/// An error rendered outside any [`contract_middleware`]'s scope (in a task the handler
/// spawned), kept in the response's extensions so that the middleware can render it again
/// with the request's id. An `Arc`, because extensions must be `Clone`.
#[derive(Clone)]
struct Pending(Arc<ApiError>);

impl IntoResponse for ApiError {
    /// The complete response, rendered once.
    ///
    /// Inside [`contract_middleware`] it has the request's echoed-or-minted id, the server's
    /// docs base URL and the key's rate-limit headers, and the error is logged here (feature
    /// `tracing`); the middleware leaves it as it is. Elsewhere it has a freshly minted id and
    /// [`crate::DEFAULT_DOC_BASE`].
    fn into_response(self) -> Response {
        scope::with_current(|scope| match scope {
            Some(scope) => {
                scope.rendered = true;
                scope.code = Some(self.code());
                render_in_scope(&self, scope)
            }
            None => {
                let mut response = self
                    .to_response(&RenderContext::new(RequestId::mint()))
                    .map(Body::from);
                response.extensions_mut().insert(Pending(Arc::new(self)));
                response
            }
        })
    }
}

/// `error`'s response with the scope's context, logged once (feature `tracing`).
fn render_in_scope(error: &ApiError, scope: &Scope) -> Response {
    #[cfg(feature = "tracing")]
    {
        let log = &scope.log;
        let mut event = crate::log::ErrorEvent::new(error, scope.context.request_id())
            .with_method(log.method.as_str());
        if let Some(route) = &log.route {
            event = event.with_route(route.as_str());
        }
        crate::log::log_error_response(&log.levels, &event);
    }
    error.to_response(&scope.context).map(Body::from)
}

/// The configuration of [`contract_middleware`]: the docs base URL each `doc_url` starts with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    doc_base: Cow<'static, str>,
    #[cfg(feature = "tracing")]
    log_levels: crate::log::LogLevels,
    api: Option<Api>,
    strict: bool,
}

impl ServerConfig {
    /// Error bodies link to `doc_base` plus each code's anchor.
    pub fn new(doc_base: impl Into<Cow<'static, str>>) -> Self {
        ServerConfig {
            doc_base: doc_base.into(),
            #[cfg(feature = "tracing")]
            log_levels: crate::log::LogLevels::DEFAULT,
            api: None,
            strict: cfg!(debug_assertions),
        }
    }

    /// The server's operations and layers ([`Api`]): every error response of a route that
    /// is one of its operations is checked against the codes that operation can answer
    /// with ([`Api::codes`]). A code outside them is a violation of the operation's
    /// contract: it is logged at ERROR (feature `tracing`) with the route, the operation,
    /// the code and the declared codes, and in [strict](Self::with_strict) mode the
    /// middleware panics. Routes that are no operation of the `Api` (the router's own
    /// answers for an unknown path or method, an undocumented route) are not checked.
    #[must_use]
    pub fn with_api(mut self, api: Api) -> Self {
        self.api = Some(api);
        self
    }

    /// Whether a violation of an operation's declared codes panics (strict) or is only
    /// logged. On by default in builds with debug assertions (`cargo test`, `cargo run`),
    /// off in release builds.
    ///
    /// In strict mode the middleware panics with the operation, the code and the declared
    /// codes after logging; the panic happens outside any panic catcher layered inside the
    /// middleware, so the request gets no response at all (over TCP the connection is
    /// closed; in-process, `oneshot` panics): a test cannot mistake it for an answer.
    #[must_use]
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The levels error responses are logged at (feature `tracing`).
    #[cfg(feature = "tracing")]
    #[must_use]
    pub fn with_log_levels(mut self, levels: crate::log::LogLevels) -> Self {
        self.log_levels = levels;
        self
    }
}

/// The codes a body limit (axum's `DefaultBodyLimit`, read through this module's [`Json`])
/// adds to the operations that read a body, declared once here for an
/// [`Api`]: `payload_too_large`.
pub const BODY_LIMIT_ERRORS: crate::operation::LayerErrors = crate::operation::LayerErrors::new(
    "body limit",
    &[ErrorCode::PayloadTooLarge],
    crate::operation::Wraps::ReadingBody,
);

/// Middleware for `axum::middleware::from_fn_with_state(ServerConfig::new(..), contract_middleware)`.
///
/// For every response: `X-Request-Id` (the client's if short visible ASCII, else minted)
/// and, when an earlier layer put a [`RateLimitState`] in the request's extensions, the
/// rate-limit headers. An [`ApiError`] converted while the service inside runs is rendered
/// once, by its `into_response`, with that id and the docs base URL; one converted in a task
/// the handler spawned (which sees no scope) is rendered again here. Any other 4xx or 5xx
/// response whose body is not JSON (the router's 404 or 405, a rejection
/// of an extractor that is not ours) is replaced by the contract's body for its status.
///
/// The limiter inside this middleware hands the key's [`RateLimitState`] to the scope; a
/// state in the response's extensions (a limiter that ran outside the scope) is written too.
/// With the `tracing` feature, every error response is logged once, where it is rendered,
/// with its cause chain ([`crate::log`]).
pub async fn contract_middleware(
    State(config): State<ServerConfig>,
    request: Request,
    next: Next,
) -> Response {
    let mut context = RenderContext::from_request_headers(request.headers())
        .with_doc_base(config.doc_base.clone());
    if let Some(state) = request.extensions().get::<RateLimitState>() {
        context.set_rate_limit(*state);
    }
    let scope = Scope {
        context,
        #[cfg(feature = "tracing")]
        log: scope::LogContext {
            levels: config.log_levels,
            method: request.method().clone(),
            route: request
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .cloned(),
        },
        rendered: false,
        code: None,
    };
    // The route and method, for the check of the operation's declared codes.
    let route = config.api.and_then(|_| {
        request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|path| (request.method().clone(), path.clone()))
    });
    // Errors converted while the inner service runs render themselves with this scope.
    let (mut response, scope) = scope::run(scope, next.run(request)).await;
    let Some(mut scope) = scope else {
        // The scope always comes back (it is restored on every exit of a poll); without it
        // there is nothing left to write.
        return response;
    };
    if let Some(state) = response.extensions().get::<RateLimitState>() {
        // A limiter that ran outside this scope.
        scope.context.set_rate_limit(*state);
    }
    let rerender = match response.extensions_mut().remove::<Pending>() {
        Some(Pending(error)) => Some(error),
        None if is_foreign_error(&response) => {
            Some(Arc::new(ApiError::new(code_for_status(response.status()))))
        }
        None => None,
    };
    let code = rerender.as_ref().map(|error| error.code()).or(scope.code);
    if let (Some(api), Some((method, path)), Some(code)) = (&config.api, &route, code) {
        check_declared(api, config.strict, method.as_str(), path.as_str(), code);
    }
    if let Some(error) = rerender {
        let (parts, body) = render_in_scope(&error, &scope).into_parts();
        *response.status_mut() = parts.status;
        *response.body_mut() = body;
        for (name, value) in &parts.headers {
            response.headers_mut().insert(name, value.clone());
        }
    } else if !(scope.rendered && is_problem_json(&response)) {
        scope.context.write_headers(response.headers_mut());
    }
    response
}

/// Logs, and in strict mode panics on, a code the route's operation does not declare.
fn check_declared(api: &Api, strict: bool, method: &str, path: &str, code: ErrorCode) {
    let Some((operation, declared)) = api.undeclared(method, path, code) else {
        return;
    };
    let declared: Vec<&str> = declared.iter().map(|code| code.as_str()).collect();
    #[cfg(feature = "tracing")]
    tracing::error!(
        http.request.method = method,
        http.route = path,
        operation = operation.id,
        error.type = code.as_str(),
        declared = ?declared,
        "undeclared error code: the operation does not declare the code it answered with"
    );
    if strict {
        panic!(
            "contract violation: {method} {path} (operation `{}`) answered `{code}`, which it \
             does not declare; it declares {declared:?}. Add the code to its \
             `#[operation(errors(...))]`, or to the layer that answers it.",
            operation.id
        );
    }
}

/// A response whose body is the contract's: an error rendered in the scope already carries
/// every header the middleware writes.
fn is_problem_json(response: &Response) -> bool {
    response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes() == crate::CONTENT_TYPE_PROBLEM_JSON.as_bytes())
}

/// An error response that did not come from an [`ApiError`] and has no JSON body.
fn is_foreign_error(response: &Response) -> bool {
    let status = response.status();
    let json = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    (status.is_client_error() || status.is_server_error()) && !json
}

/// The code for an error status from outside the contract: the table's code for that
/// status if exactly one code has it, else `invalid_request` for 4xx and `internal_error`
/// for 5xx.
fn code_for_status(status: StatusCode) -> ErrorCode {
    let mut codes = crate::codes_for_status(status);
    match (codes.next(), codes.next()) {
        (Some(code), None) => code,
        _ if status.is_server_error() => ErrorCode::InternalError,
        _ => ErrorCode::InvalidRequest,
    }
}

impl From<JsonRejection> for ApiError {
    /// Mapped by the rejection's type: malformed JSON, a body that cannot be read or a wrong
    /// content type is `invalid_request`; well-formed JSON with a field of the wrong shape is
    /// `validation_error` with the field's JSON pointer; a body over the limit is
    /// `payload_too_large`.
    ///
    /// axum's own `Json` checks types while it parses, so it can call `{"prompt": 5` a data
    /// error before it sees the body is cut short; this crate's [`Json`] checks the syntax
    /// first and answers `invalid_request` for it.
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(_) => match serde_error(&rejection) {
                Some(err) => data_error(err),
                None => ApiError::new(ErrorCode::ValidationError),
            }
            .with_source(rejection),
            JsonRejection::JsonSyntaxError(_) => {
                let message = syntax_message(serde_error(&rejection).map(|err| err.inner()));
                ApiError::new(ErrorCode::InvalidRequest)
                    .with_message(message)
                    .with_source(rejection)
            }
            JsonRejection::MissingJsonContentType(_) => {
                missing_json_content_type().with_source(rejection)
            }
            JsonRejection::BytesRejection(rejection) => rejection.into(),
            // A kind a later axum adds: the request is what failed to be read.
            _ => ApiError::new(ErrorCode::InvalidRequest).with_source(rejection),
        }
    }
}

impl From<QueryRejection> for ApiError {
    /// A query string that does not deserialize is `invalid_request`.
    fn from(rejection: QueryRejection) -> Self {
        // Whatever the kind, the client's query string is what failed to be read.
        ApiError::new(ErrorCode::InvalidRequest)
            .with_message(UserMessage::user_safe(
                "The query string has a missing or malformed parameter.",
            ))
            .with_source(rejection)
    }
}

impl From<PathRejection> for ApiError {
    /// A path parameter that does not parse is `invalid_request`; a route without the
    /// parameters its handler expects, or a handler asking for a shape paths cannot have, is
    /// the server's bug, `internal_error`.
    fn from(rejection: PathRejection) -> Self {
        let client_error = match &rejection {
            PathRejection::FailedToDeserializePathParams(err) => !matches!(
                err.kind(),
                PathErrorKind::WrongNumberOfParameters { .. }
                    | PathErrorKind::UnsupportedType { .. }
            ),
            PathRejection::MissingPathParams(_) => false,
            _ => false,
        };
        if client_error {
            ApiError::new(ErrorCode::InvalidRequest)
                .with_message(UserMessage::user_safe(
                    "A parameter in the URL path is malformed.",
                ))
                .with_source(rejection)
        } else {
            ApiError::internal(rejection)
        }
    }
}

impl From<BytesRejection> for ApiError {
    /// A body over the limit is `payload_too_large`; a body that cannot be read is
    /// `invalid_request`.
    fn from(rejection: BytesRejection) -> Self {
        let code = match &rejection {
            BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
                ErrorCode::PayloadTooLarge
            }
            _ => ErrorCode::InvalidRequest,
        };
        ApiError::new(code).with_source(rejection)
    }
}

/// `invalid_request` for a body sent without a JSON `Content-Type`.
fn missing_json_content_type() -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest).with_message(UserMessage::user_safe(
        "The request body must be JSON, with `Content-Type: application/json`.",
    ))
}

/// Whether the request says its body is JSON: `application/json` or `application/*+json`,
/// parameters allowed, as axum's own `Json` accepts.
fn is_json_content_type(headers: &http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let subtype = subtype.to_ascii_lowercase();
    kind.eq_ignore_ascii_case("application") && (subtype == "json" || subtype.ends_with("+json"))
}

/// `invalid_request` if `bytes` are not JSON, whatever shape the handler wants: checked
/// before the handler's type, so a body whose start already has a field of the wrong type
/// is still malformed rather than mistyped.
fn syntax_error(bytes: &[u8]) -> Option<ApiError> {
    let err = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).err()?;
    Some(
        ApiError::new(ErrorCode::InvalidRequest)
            .with_message(syntax_message(Some(&err)))
            .with_source(err),
    )
}

/// The `serde_path_to_error` error in a JSON rejection's source chain (axum's `Json`
/// deserializes through it).
fn serde_error(
    rejection: &JsonRejection,
) -> Option<&serde_path_to_error::Error<serde_json::Error>> {
    let mut source: Option<&(dyn StdError + 'static)> = rejection.source();
    while let Some(err) = source {
        if let Some(err) = err.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            return Some(err);
        }
        source = err.source();
    }
    None
}

/// The error for JSON that failed to deserialize into the handler's type:
/// `validation_error` with the failing field's pointer, or `invalid_request` when what
/// failed is the JSON itself (invalid UTF-8 in a string is only seen by the typed pass).
///
/// serde's own text is not shown: it names the server's Rust types (`expected struct
/// CreateRun`), lists enum variants, and quotes the client's field names. It is only read
/// to classify the problem and to find the field a "missing field" is about; the field's
/// name goes into the pointer alone, escaped, and the messages are fixed phrases.
fn data_error(err: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    if !matches!(err.inner().classify(), Category::Data) {
        return ApiError::new(ErrorCode::InvalidRequest)
            .with_message(syntax_message(Some(err.inner())));
    }
    let mut pointer =
        err.path()
            .iter()
            .fold(JsonPointer::root(), |pointer, segment| match segment {
                serde_path_to_error::Segment::Seq { index } => pointer.push_index(*index),
                serde_path_to_error::Segment::Map { key } => pointer.push(key),
                serde_path_to_error::Segment::Enum { variant } => pointer.push(variant),
                serde_path_to_error::Segment::Unknown => pointer,
            });
    let text = err.inner().to_string();
    let message = if let Some(field) = quoted_after(&text, "missing field `") {
        // serde reports a missing field at the object that should hold it.
        pointer = pointer.push(field);
        "is required"
    } else if text.starts_with("unknown field `") {
        // The path already ends at the unknown member's own name, exactly as sent.
        "is not a known field"
    } else if text.starts_with("invalid type") {
        "has the wrong type"
    } else if text.starts_with("unknown variant") {
        "is not one of the allowed values"
    } else if text.starts_with("invalid length") {
        "has the wrong number of items"
    } else {
        "has an invalid value"
    };
    ApiError::new(ErrorCode::ValidationError)
        .with_field_error(pointer, UserMessage::user_safe(message))
}

/// The name between backquotes after `prefix` at the start of serde's message.
fn quoted_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// Where a JSON syntax error is: a line and a column, numbers the server counted, never
/// text from the body.
fn syntax_message(err: Option<&serde_json::Error>) -> UserMessage {
    UserMessage::user_safe(match err {
        Some(err) if err.line() > 0 => format!(
            "The request body is not valid JSON (line {}, column {}).",
            err.line(),
            err.column()
        ),
        _ => "The request body is not valid JSON.".to_owned(),
    })
}

/// axum's `Json` extractor, rejecting with the contract's body: `invalid_request` for a
/// body that is not JSON (checked before the handler's type), `validation_error` with the
/// failing field's JSON pointer, or `payload_too_large`.
///
/// It is a response too, as axum's is, so one `use` serves both directions of a handler:
/// `async fn create(Json(run): Json<NewRun>) -> Result<Json<Run>, ApiError>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    /// `200 OK` with the value as `application/json`, as `axum::Json` answers; a value that
    /// does not serialize is the contract's `internal_error`, its cause kept for logs.
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => (
                [(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                )],
                bytes,
            )
                .into_response(),
            Err(err) => ApiError::internal(err).into_response(),
        }
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json_content_type(request.headers()) {
            return Err(missing_json_content_type());
        }
        let bytes = Bytes::from_request(request, state).await?;
        if let Some(err) = syntax_error(&bytes) {
            return Err(err);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut deserializer)
            .map(Json)
            .map_err(|err| data_error(&err).with_source(err))
    }
}

/// axum's `Query` extractor, rejecting with `invalid_request`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

/// axum's `Path` extractor, rejecting with `invalid_request`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}
