//! OpenAPI components generated from the error table (schemas, responses, headers).
//!
//! Not built yet: this crate holds the workspace's fixed layout until the OpenAPI issue
//! fills it.

#![deny(missing_docs)]
