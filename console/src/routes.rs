//! The console's routes: the one-time address, the page, the events the
//! page sends, the long poll that tells it a background job moved on, the
//! file the core asked to save, the assets, and the neutral page quick exit
//! goes to.

use crate::guard::{harden, Guard};
use crate::render;
use crate::shell::ConsoleShell;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use binhan_ui::{AppCore, Effect, Event, ViewModel};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Largest upload body: the largest file the core reads, with room for
/// the form's framing (a larger file is refused by the core with its
/// reason; a far larger body is cut off here).
const IMPORT_BODY_BYTES: usize = binhan_core::stats::import::MAX_IMPORT_BYTES + 64 * 1024;

/// How long the page's long poll waits for a background change.
const WAIT: Duration = Duration::from_secs(25);

/// Everything the routes share.
pub(crate) struct Console {
    pub(crate) core: Arc<AppCore>,
    pub(crate) shell: Arc<ConsoleShell>,
    pub(crate) guard: Guard,
}

impl Console {
    pub(crate) fn new(core: Arc<AppCore>, shell: Arc<ConsoleShell>, addr: SocketAddr) -> Self {
        Self {
            core,
            shell,
            guard: Guard::new(addr),
        }
    }
}

type Shared = Arc<Console>;

/// The routes, guarded and hardened.
pub(crate) fn router(state: Shared) -> Router {
    let guarded = Router::new()
        .route("/", get(page))
        .route("/event", post(event))
        .route(
            "/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(IMPORT_BODY_BYTES)),
        )
        .route("/wait", get(wait))
        .route("/download", get(download))
        .route("/assets/console.js", get(script))
        .route("/assets/console.css", get(style))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_session,
        ));
    Router::new()
        .route("/open/{token}", get(open))
        .route("/bye", get(bye))
        .merge(guarded)
        .layer(middleware::map_response(harden))
        .with_state(state)
}

async fn require_session(
    State(state): State<Shared>,
    method: Method,
    headers: HeaderMap,
    request: Request,
    next: Next,
) -> Response {
    match state.guard.check(&method, &headers) {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.into_response(),
    }
}

async fn open(
    State(state): State<Shared>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match state.guard.open(&token, &headers) {
        Ok(cookie) => (
            StatusCode::SEE_OTHER,
            [(header::SET_COOKIE, cookie), (header::LOCATION, "/".into())],
        )
            .into_response(),
        Err(refused) => refused.into_response(),
    }
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Runs the core off the async threads (unlocking takes about a second).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

/// The page as it stands, with the effects waiting for it.
fn drawn(state: &Console, view: &ViewModel, whole: bool) -> Response {
    let effects = state.shell.take();
    if effects.contains(&Effect::HideApp) {
        return exit(whole);
    }
    let app = render::app(view, &effects, state.shell.generation());
    html(if whole {
        render::page(view, app)
    } else {
        app.into_string()
    })
}

/// Quick exit: the page goes to the neutral one, replacing its history
/// entry (the script does that for a fetch; a plain form follows a 303).
fn exit(whole: bool) -> Response {
    if whole {
        (StatusCode::SEE_OTHER, [(header::LOCATION, "/bye")]).into_response()
    } else {
        (StatusCode::OK, [("x-binhan-exit", "1")], "").into_response()
    }
}

async fn page(State(state): State<Shared>) -> Response {
    let core = state.core.clone();
    match blocking(move || core.view()).await {
        Some(view) => drawn(&state, &view, true),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// What the page sends: an event as JSON (`event`), or an event to fill
/// with what was typed (`template`, whose `value` is replaced by `value`).
#[derive(Deserialize)]
pub(crate) struct Sent {
    event: Option<String>,
    template: Option<String>,
    value: Option<String>,
}

impl Sent {
    fn event(self) -> Option<Event> {
        match (self.event, self.template) {
            (Some(event), None) => serde_json::from_str(&event).ok(),
            (None, Some(template)) => {
                let mut value: serde_json::Value = serde_json::from_str(&template).ok()?;
                let object = value.as_object_mut()?;
                if !object.contains_key("value") {
                    return None;
                }
                object.insert(
                    "value".into(),
                    serde_json::Value::String(self.value.unwrap_or_default()),
                );
                serde_json::from_value(value).ok()
            }
            _ => None,
        }
    }
}

async fn event(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(sent): Form<Sent>,
) -> Response {
    let whole = headers.get("x-binhan-fetch").is_none();
    let Some(event) = sent.event() else {
        // Never echo what was sent: it may be case text.
        return (StatusCode::BAD_REQUEST, "Bad request").into_response();
    };
    let core = state.core.clone();
    match blocking(move || core.send(event)).await {
        Some(_) if whole => redirect_home(&state),
        Some(view) => drawn(&state, &view, false),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// After a plain form's post: redirect to the page (post, redirect, get),
/// unless quick exit.
fn redirect_home(state: &Console) -> Response {
    let effects = state.shell.take();
    if effects.contains(&Effect::HideApp) {
        return exit(true);
    }
    state.shell.restore(effects);
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response()
}

/// The import screen's file input, posted as a plain multipart form (the
/// same with or without the script): the file's name and bytes go to the
/// core as its `ImportFile` event, which reads and judges them; then the
/// page is drawn again. Nothing of the file is logged or echoed.
async fn import(State(state): State<Shared>, mut form: axum::extract::Multipart) -> Response {
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "Too large").into_response(),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return (StatusCode::BAD_REQUEST, "Bad request").into_response(),
        }
    }
    let Some((name, bytes)) = file else {
        return (StatusCode::BAD_REQUEST, "Bad request").into_response();
    };
    let event = Event::Registries {
        event: binhan_ui::screens::registries::RegistriesEvent::ImportFile { name, bytes },
    };
    let core = state.core.clone();
    match blocking(move || core.send(event)).await {
        Some(_) => redirect_home(&state),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Deserialize)]
pub(crate) struct Since {
    generation: u64,
}

/// Answers when a background job changed something after `generation`
/// (the new content), or after a while with nothing (204).
async fn wait(State(state): State<Shared>, Query(since): Query<Since>) -> Response {
    let mut watch = state.shell.watch();
    let changed = matches!(
        tokio::time::timeout(WAIT, watch.wait_for(|g| *g > since.generation)).await,
        Ok(Ok(_))
    );
    if !changed {
        return StatusCode::NO_CONTENT.into_response();
    }
    let core = state.core.clone();
    match blocking(move || core.view()).await {
        Some(view) => drawn(&state, &view, false),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A file name safe in a header: letters, digits, `.`, `-`, `_`.
fn header_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.trim_matches(['.', '_']).is_empty() {
        "tep".into()
    } else {
        safe
    }
}

/// The file of the last `SaveFile` effect (the annual report's workbook or
/// CSV) as an attachment, behind the same guard as the page (and, as every
/// response, `no-store`); nothing once the vault is locked.
async fn download(State(state): State<Shared>) -> Response {
    let core = state.core.clone();
    if !blocking(move || core.is_unlocked()).await.unwrap_or(false) {
        state.shell.forget_file();
        return (StatusCode::NOT_FOUND, "Nothing to download").into_response();
    }
    let Some(file) = state.shell.file() else {
        return (StatusCode::NOT_FOUND, "Nothing to download").into_response();
    };
    let mime = HeaderValue::from_str(&file.mime)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = format!("attachment; filename=\"{}\"", header_name(&file.name));
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, mime);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/console.js"),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../assets/console.css"),
    )
        .into_response()
}

/// The neutral page: nothing of the app, nothing to go back to.
async fn bye() -> Response {
    html(render::neutral().into_string())
}

#[cfg(test)]
mod tests {
    use super::header_name;

    #[test]
    fn a_file_name_in_a_header_keeps_only_safe_characters() {
        assert_eq!(
            header_name("bao-cao-blg-2026.xlsx"),
            "bao-cao-blg-2026.xlsx"
        );
        assert_eq!(header_name("a\"b\r\nc;.csv"), "a_b__c_.csv");
        assert_eq!(header_name("báo cáo.csv"), "b_o_c_o.csv");
        assert_eq!(header_name(".."), "tep");
    }
}
