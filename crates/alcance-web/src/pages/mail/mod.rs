//! E-mail pages: messages held for an agent to accept or reject. (Being written.)

use alcance_app::App;
use axum::Router;

pub fn router() -> Router<App> {
    Router::new()
}
