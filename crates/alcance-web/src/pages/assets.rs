//! Static assets embedded in the binary: the stylesheet (one file, assembled from the
//! parts below), htmx, our small script, the brand colours and logo.

use alcance_app::App;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const CSS: &str = concat!(
    include_str!("../../assets/css/base.css"),
    include_str!("../../assets/css/portal.css"),
    include_str!("../../assets/css/agent.css"),
    include_str!("../../assets/css/admin.css"),
    include_str!("../../assets/css/monitors.css"),
);
const HTMX: &str = include_str!("../../assets/vendor/htmx-2.0.11.min.js");
const APP_JS: &str = include_str!("../../assets/app.js");

pub fn router() -> Router<App> {
    Router::new()
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/assets/htmx.min.js", get(|| async { asset("text/javascript; charset=utf-8", HTMX) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .route("/assets/brand.css", get(brand_css))
        .route("/assets/logo", get(logo))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

/// The brand colour as CSS custom properties (a stylesheet, since the CSP allows no inline
/// styles).
async fn brand_css(State(app): State<App>) -> Response {
    let color = &app.settings.brand.color;
    let color = if alcance_app::Brand::valid_color(color) { color.as_str() } else { "#0b5cad" };
    let css = format!(":root {{ --brand: {color}; }}\n");
    let mut response = css.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    response
}

async fn logo(State(app): State<App>) -> Response {
    match &app.settings.brand.logo {
        Some((bytes, content_type)) => {
            let mut response = bytes.clone().into_response();
            let value = HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("image/png"));
            response.headers_mut().insert(header::CONTENT_TYPE, value);
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
