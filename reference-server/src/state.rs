//! [`AppState`]: what every handler shares. A leaf under the handlers and above the store,
//! so that the crate root (which builds it) and the handlers (which read it) do not import
//! each other.

use std::sync::Arc;

use crate::config::Config;
use crate::store::Store;

/// What every handler shares: the configuration and the store.
#[derive(Debug, Clone)]
pub(crate) struct AppState {
    pub(crate) config: Arc<Config>,
    pub(crate) store: Arc<Store>,
}
