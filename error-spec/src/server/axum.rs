//! axum integration, behind the `axum` feature: errors as responses, and axum's own
//! rejections as errors of the contract, so a server never answers in plain text.
//!
//! - [`ApiError`] implements [`IntoResponse`]: a complete response with a minted request id.
//! - [`contract_middleware`] is a middleware (`axum::middleware::from_fn_with_state`) that gives
//!   every response the request's echoed-or-minted `X-Request-Id` and the rate-limit headers,
//!   renders errors with the server's docs base URL, and turns any other error response
//!   (the router's 404, a 405, a plain-text rejection) into the contract's body.
//! - [`Json`], [`Query`] and [`Path`] are axum's extractors with [`ApiError`] as rejection;
//!   `From` impls convert axum's rejections for code that uses axum's extractors directly.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::request::Parts;
use serde::de::DeserializeOwned;

use crate::{
    ApiError, ErrorCode, JsonPointer, RateLimitState, RenderContext, RequestId, UserMessage,
};

/// The error behind a response, kept in its extensions until [`contract_middleware`] renders it
/// with the request's context. An `Arc`, because extensions must be `Clone`.
#[derive(Clone)]
struct Pending(Arc<ApiError>);

impl IntoResponse for ApiError {
    /// A complete response with a freshly minted request id and [`crate::DEFAULT_DOC_BASE`];
    /// under [`contract_middleware`] it is rendered again with the request's own id and the
    /// server's docs base URL.
    fn into_response(self) -> Response {
        let response = self
            .to_response(&RenderContext::new(RequestId::mint()))
            .map(Body::from);
        let (mut parts, body) = response.into_parts();
        parts.extensions.insert(Pending(Arc::new(self)));
        Response::from_parts(parts, body)
    }
}

/// The configuration of [`contract_middleware`]: the docs base URL each `doc_url` starts with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    doc_base: Cow<'static, str>,
    #[cfg(feature = "tracing")]
    log_levels: crate::log::LogLevels,
}

impl ServerConfig {
    /// Error bodies link to `doc_base` plus each code's anchor.
    pub fn new(doc_base: impl Into<Cow<'static, str>>) -> Self {
        ServerConfig {
            doc_base: doc_base.into(),
            #[cfg(feature = "tracing")]
            log_levels: crate::log::LogLevels::DEFAULT,
        }
    }

    /// The levels error responses are logged at (feature `tracing`).
    #[cfg(feature = "tracing")]
    #[must_use]
    pub fn with_log_levels(mut self, levels: crate::log::LogLevels) -> Self {
        self.log_levels = levels;
        self
    }
}

/// Middleware for `axum::middleware::from_fn_with_state(ServerConfig::new(..), contract_middleware)`.
///
/// For every response: `X-Request-Id` (the client's if short visible ASCII, else minted)
/// and, when an earlier layer put a [`RateLimitState`] in the request's extensions, the
/// rate-limit headers. An [`ApiError`] is rendered with that id and the docs base URL. Any
/// other 4xx or 5xx response whose body is not JSON (the router's 404 or 405, a rejection
/// of an extractor that is not ours) is replaced by the contract's body for its status.
///
/// A [`RateLimitState`] in the response's extensions (from a limiter layered inside this
/// one) is written too. With the `tracing` feature, every error response is logged here,
/// once, with its cause chain ([`crate::log`]).
pub async fn contract_middleware(
    State(config): State<ServerConfig>,
    request: Request,
    next: Next,
) -> Response {
    let mut context = RenderContext::from_request_headers(request.headers())
        .with_doc_base(config.doc_base.clone());
    if let Some(state) = request.extensions().get::<RateLimitState>() {
        context = context.with_rate_limit(*state);
    }
    #[cfg(feature = "tracing")]
    let (method, route) = (
        request.method().clone(),
        request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .cloned(),
    );
    let mut response = next.run(request).await;
    if let Some(state) = response.extensions().get::<RateLimitState>() {
        context = context.with_rate_limit(*state);
    }
    let pending = match response.extensions_mut().remove::<Pending>() {
        Some(Pending(error)) => Some(error),
        None if is_foreign_error(&response) => {
            Some(Arc::new(ApiError::new(code_for_status(response.status()))))
        }
        None => None,
    };
    if let Some(error) = pending {
        #[cfg(feature = "tracing")]
        {
            let mut event = crate::log::ErrorEvent::new(&error, context.request_id())
                .with_method(method.as_str());
            if let Some(route) = &route {
                event = event.with_route(route.as_str());
            }
            crate::log::log_error_response(&config.log_levels, &event);
        }
        let (parts, body) = error.to_response(&context).into_parts();
        *response.status_mut() = parts.status;
        *response.body_mut() = Body::from(body);
        for (name, value) in &parts.headers {
            response.headers_mut().insert(name, value.clone());
        }
    } else {
        context.write_headers(response.headers_mut());
    }
    response
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
    /// Malformed JSON or a wrong content type is `invalid_request`; well-formed JSON with a
    /// field of the wrong shape is `validation_error` with the field's JSON pointer; a body
    /// over the limit is `payload_too_large`.
    fn from(rejection: JsonRejection) -> Self {
        match &rejection {
            JsonRejection::JsonDataError(_) => match path_error(&rejection) {
                Some((pointer, message)) => {
                    ApiError::new(ErrorCode::ValidationError).with_field_error(pointer, message)
                }
                None => ApiError::new(ErrorCode::ValidationError),
            },
            JsonRejection::JsonSyntaxError(_) => ApiError::new(ErrorCode::InvalidRequest)
                .with_message(UserMessage::user_safe(syntax_message(&rejection))),
            JsonRejection::MissingJsonContentType(_) => ApiError::new(ErrorCode::InvalidRequest)
                .with_message(UserMessage::user_safe(
                    "The request body must be JSON, with `Content-Type: application/json`.",
                )),
            _ => from_status(rejection.status(), rejection),
        }
    }
}

impl From<QueryRejection> for ApiError {
    /// A query string that does not deserialize is `invalid_request`.
    fn from(rejection: QueryRejection) -> Self {
        from_status(rejection.status(), rejection).with_message(UserMessage::user_safe(
            "The query string has a missing or malformed parameter.",
        ))
    }
}

impl From<PathRejection> for ApiError {
    /// A path parameter that does not deserialize is `invalid_request`; a route without the
    /// parameters its handler expects is the server's bug, `internal_error`.
    fn from(rejection: PathRejection) -> Self {
        let status = rejection.status();
        let err = from_status(status, rejection);
        if status.is_client_error() {
            err.with_message(UserMessage::user_safe(
                "A parameter in the URL path is malformed.",
            ))
        } else {
            err
        }
    }
}

impl From<BytesRejection> for ApiError {
    /// A body over the limit is `payload_too_large`; a body that cannot be read is
    /// `invalid_request`.
    fn from(rejection: BytesRejection) -> Self {
        from_status(rejection.status(), rejection)
    }
}

/// The error for a rejection by its status, with the rejection kept as the internal cause.
fn from_status(status: StatusCode, rejection: impl StdError + Send + Sync + 'static) -> ApiError {
    ApiError::new(code_for_status(status)).with_source(rejection)
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

/// The JSON pointer and a user-safe message for a JSON data error.
///
/// serde's own text is not shown: it names the server's Rust types (`expected struct
/// CreateRun`) and lists enum variants, which is internal detail. It is only read to
/// classify the problem and to find the field a "missing field" or "unknown field" is about.
fn path_error(rejection: &JsonRejection) -> Option<(JsonPointer, UserMessage)> {
    let err = serde_error(rejection)?;
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
    // serde reports a missing or unknown field at the object that holds it; point at the field.
    let message = if let Some(field) = quoted_after(&text, "missing field `") {
        pointer = pointer.push(field);
        "is required"
    } else if let Some(field) = quoted_after(&text, "unknown field `") {
        pointer = pointer.push(field);
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
    Some((pointer, UserMessage::user_safe(message)))
}

/// The name between backquotes after `prefix` at the start of serde's message.
fn quoted_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// Where a JSON syntax error is, which is the client's own input and safe to show.
fn syntax_message(rejection: &JsonRejection) -> String {
    match serde_error(rejection) {
        Some(err) => format!(
            "The request body is not valid JSON (line {}, column {}).",
            err.inner().line(),
            err.inner().column()
        ),
        None => "The request body is not valid JSON.".to_owned(),
    }
}

/// axum's `Json` extractor, rejecting with the contract's body: `invalid_request`,
/// `validation_error` with the failing field's JSON pointer, or `payload_too_large`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(Json(value))
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
