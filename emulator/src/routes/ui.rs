//! `/__emulator__/ui`: the dashboard, a page that reads and steers the emulator through the
//! control namespace's own JSON paths.
//!
//! Its three files (`emulator/ui/`) are compiled into the binary, so the page works offline
//! and from a container with nothing beside the executable. `IRP_EMULATOR_UI_DIR` names a
//! folder to read them from instead, on every request: for editing the page without
//! rebuilding.
//!
//! The page follows the namespace's access rule. A browser cannot add an `Authorization`
//! header to a page load, so when an admin token is configured a caller without it gets a
//! login form; the token posted there sets a cookie holding the token's SHA-256 (never the
//! token), `HttpOnly` and `SameSite=Strict` so another site's page cannot ride on it, which
//! every guarded control path accepts in place of the header.

use std::borrow::Cow;

use axum::{
    Form, Router,
    extract::{Path, Request, State, rejection::FormRejection},
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;

use super::admin::{Access, access};
use crate::{
    error::{ApiError, ErrorCode},
    state::AppState,
};

/// The cookie the login sets.
pub(super) const COOKIE: &str = "irp_emulator_admin";

/// The folder to read the page's files from instead of the embedded copies.
pub(super) const UI_DIR_ENV: &str = "IRP_EMULATOR_UI_DIR";

/// The page's files: name, content type, embedded text.
const FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../ui/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../ui/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../ui/app.css"),
    ),
];

/// Scripts and styles from the page's own files only; data only from this origin; no
/// framing. Inline styles are allowed (the page sets sizes from script).
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/ui", get(page))
        .route("/ui/", get(page))
        .route("/ui/login", post(login))
        .route("/ui/{file}", get(file))
}

/// A page file's text: from [`UI_DIR_ENV`] when set and readable, else the embedded copy.
fn text_of(name: &str) -> Option<(&'static str, Cow<'static, str>)> {
    let (_, content_type, embedded) = FILES.iter().find(|(n, ..)| *n == name)?;
    let from_disk = std::env::var_os(UI_DIR_ENV)
        .and_then(|dir| std::fs::read_to_string(std::path::Path::new(&dir).join(name)).ok());
    Some((
        content_type,
        from_disk.map_or(Cow::Borrowed(*embedded), Cow::Owned),
    ))
}

fn served(name: &str) -> Response {
    let Some((content_type, text)) = text_of(name) else {
        return ApiError::new(ErrorCode::UnknownPath).into_response();
    };
    let mut response = text.into_owned().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_POLICY),
    );
    response
}

/// What a caller outside the access rule gets: the login form when a token can let it in,
/// else the namespace's 403.
fn refused(access: Access, failed: bool) -> Response {
    match access {
        Access::TokenNeeded => (StatusCode::UNAUTHORIZED, Html(login_page(failed))).into_response(),
        _ => ApiError::new(ErrorCode::Forbidden).into_response(),
    }
}

async fn page(State(state): State<AppState>, request: Request) -> Response {
    match access(&state, &request) {
        Access::Allowed => served("index.html"),
        other => refused(other, false),
    }
}

async fn file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: Request,
) -> Response {
    match access(&state, &request) {
        Access::Allowed => served(&name),
        other => refused(other, false),
    }
}

#[derive(Deserialize)]
struct Login {
    token: String,
}

/// `POST /__emulator__/ui/login` (form field `token`): the cookie and back to the page, or
/// the form again.
async fn login(
    State(state): State<AppState>,
    form: Result<Form<Login>, FormRejection>,
) -> Response {
    let Some(expected) = &state.settings.admin_token else {
        // No token configured: the page is loopback-only, and a login changes nothing.
        return Redirect::to("/__emulator__/ui").into_response();
    };
    let given = form.map(|Form(login)| login.token).unwrap_or_default();
    if !super::admin::same_secret(given.as_bytes(), expected.as_bytes()) {
        return refused(Access::TokenNeeded, true);
    }
    let cookie = format!(
        "{COOKIE}={}; Path=/__emulator__; HttpOnly; SameSite=Strict",
        cookie_value(expected)
    );
    let mut response = Redirect::to("/__emulator__/ui").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The cookie's value for `token`: its SHA-256, hex.
pub(super) fn cookie_value(token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of the login cookie in a `Cookie` header, if present.
pub(super) fn cookie_in(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(name, value)| (name == COOKIE).then_some(value))
}

fn login_page(failed: bool) -> String {
    let message = if failed {
        r#"<p role="alert" class="error">That is not the admin token.</p>"#
    } else {
        ""
    };
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IRP emulator: admin token</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}}
input{{font:inherit;width:100%;padding:.4rem;margin:.5rem 0;box-sizing:border-box}}
button{{font:inherit;padding:.4rem 1rem}}.error{{color:#a00;font-weight:600}}</style></head>
<body><h1>IRP emulator</h1>
<p>This emulator was started with an admin token (<code>--admin-token</code>). Enter it to open the dashboard.</p>
{message}
<form method="post" action="/__emulator__/ui/login">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<button type="submit">Open the dashboard</button>
</form></body></html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others_and_holds_a_digest_not_the_token() {
        let value = cookie_value("change-me");
        assert_eq!(value.len(), 64);
        assert!(!value.contains("change-me"));
        let header = format!("a=1; {COOKIE}={value}; b=2");
        assert_eq!(cookie_in(&header), Some(value.as_str()));
        assert_eq!(cookie_in("a=1; irp_emulator_admin_x=2"), None);
        assert_eq!(cookie_in(""), None);
    }

    #[test]
    fn every_page_file_is_served_with_its_type_and_unknown_names_are_not() {
        for (name, content_type, _) in FILES {
            let (served_type, text) = text_of(name).unwrap();
            assert_eq!(served_type, *content_type);
            assert!(!text.is_empty(), "{name}");
        }
        assert!(text_of("../Cargo.toml").is_none());
        assert!(text_of("secret.pem").is_none());
    }
}
