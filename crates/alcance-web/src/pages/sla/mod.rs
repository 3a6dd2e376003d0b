//! SLA pages: the compliance report. (Being written.)

use alcance_app::App;
use axum::Router;

pub fn router() -> Router<App> {
    Router::new()
}
