//! hello-service: greets people, and reports what an upstream service says.

use axum::{extract::Path, response::Html, routing::get, Json, Router};
use serde::Serialize;

#[derive(Serialize)]
struct Greeting {
    message: String,
}

async fn greet(Path(name): Path<String>) -> Json<Greeting> {
    Json(Greeting { message: format!("Hello, {name}!") })
}

/// The page is read from static/ at run time, so the image must contain that directory.
async fn index() -> Html<String> {
    Html(std::fs::read_to_string("static/index.html").unwrap_or_default())
}

async fn upstream() -> String {
    match reqwest::get("https://example.com/status").await {
        Ok(response) => format!("upstream says {}", response.status()),
        Err(err) => format!("upstream unreachable: {err}"),
    }
}

#[tokio::main]
async fn main() {
    let app = Router::new()
        .route("/", get(index))
        .route("/hello/:name", get(greet))
        .route("/upstream", get(upstream))
        .route("/healthz", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.expect("bind port 8080");
    println!("hello-service listening on {}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.expect("serve");
}
