//! linkcheck: checks that links answer, over HTTPS with OpenSSL (reqwest's native-tls).
//!
//! - `GET /check?url=https://...`: fetches the URL, answers `{"url", "status", "ok"}`.
//! - `GET /tls`: the OpenSSL version linked in (Debian's libssl3 when linked from the
//!   system; the `openssl-src` version when vendored).
//! - `GET /health`.
//! - Listens on 0.0.0.0:`PORT` (8080). Stops gracefully on SIGTERM.
//! - Needs libssl-dev and pkg-config to build, libssl3 and CA certificates at run time
//!   (unless OpenSSL is vendored).

use std::net::{Ipv4Addr, SocketAddr};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio::signal::unix::{signal, SignalKind};

#[derive(Deserialize)]
struct Check {
    url: String,
}

#[derive(Serialize)]
struct Verdict {
    url: String,
    status: Option<u16>,
    ok: bool,
    error: Option<String>,
}

#[tokio::main]
async fn main() {
    let port = match std::env::var("PORT") {
        Ok(text) => text.parse().unwrap_or_else(|_| {
            eprintln!("linkcheck: PORT must be a number, got {text:?}");
            std::process::exit(2)
        }),
        Err(_) => 8080,
    };
    let client = reqwest::Client::builder()
        .user_agent("rustdock-linkcheck-sample/0.1")
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("TLS backend (OpenSSL) failed to initialise");
    let router = Router::new()
        .route("/health", get(|| async { "ok\n" }))
        .route("/tls", get(|| async { format!("{}\n", openssl::version::version()) }))
        .route("/check", get(check))
        .with_state(client);
    let addr = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
    let listener = tokio::net::TcpListener::bind(addr).await.expect("cannot bind the port");
    println!("linkcheck listening on {addr} ({})", openssl::version::version());
    axum::serve(listener, router).with_graceful_shutdown(stop_signal()).await.unwrap();
}

async fn check(State(client): State<reqwest::Client>, Query(q): Query<Check>) -> (StatusCode, Json<Verdict>) {
    match client.get(&q.url).send().await {
        Ok(response) => {
            let status = response.status();
            let verdict = Verdict { url: q.url, status: Some(status.as_u16()), ok: status.is_success(), error: None };
            (StatusCode::OK, Json(verdict))
        }
        Err(err) => {
            // The whole chain: "error sending request" alone hides a certificate failure.
            let mut error = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                error += &format!(": {cause}");
                source = cause.source();
            }
            let verdict = Verdict { url: q.url, status: None, ok: false, error: Some(error) };
            (StatusCode::BAD_GATEWAY, Json(verdict))
        }
    }
}

async fn stop_signal() {
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
