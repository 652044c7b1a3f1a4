//! notes: a small axum + sqlx service, shaped like the services rustdock meets in the wild.
//!
//! - Writes into its working directory at start: `data/notes.db` (SQLite, migrations run at
//!   start), so the image's working directory must be writable by its user.
//! - Loads `templates/*.html` with Tera at run time, relative to the working directory.
//! - Listens on 127.0.0.1:3000 unless `--addr` / `NOTES_ADDR` says otherwise.
//! - Stops gracefully on SIGTERM and SIGINT.
//! - `POST /import` fetches a URL over HTTPS (reqwest with rustls): the image needs CA roots.
//! - Queries are checked at compile time (`sqlx::query!`) against `.sqlx/` (offline data,
//!   with `SQLX_OFFLINE=true`) or against the database `.env` names (`DATABASE_URL`).

mod db;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clap::Parser;
use serde::Deserialize;
use tokio::signal::unix::{SignalKind, signal};

#[derive(Parser, Debug)]
#[command(version, about = "A notes service: HTML at /, JSON at /notes, /health")]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "NOTES_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Folder for the SQLite database, created at start (relative to the working directory).
    #[arg(long, env = "NOTES_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
}

struct App {
    db: sqlx::SqlitePool,
    templates: tera::Tera,
    http: reqwest::Client,
}

type Shared = State<Arc<App>>;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    if let Err(err) = run(args).await {
        eprintln!("notes: {err}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let templates = tera::Tera::new("templates/**/*.html")
        .map_err(|e| format!("cannot load templates/ from the working directory: {e}"))?;
    if !templates.get_template_names().any(|name| name == "index.html") {
        return Err("templates/index.html is missing (run from the folder that holds templates/)".into());
    }
    let db = db::open(&args.data_dir).await?;
    let http = reqwest::Client::builder().user_agent("rustdock-notes-sample/0.1").build()?;
    let app = Arc::new(App { db, templates, http });
    let router = Router::new()
        .route("/", get(index))
        .route("/health", get(|| async { "ok\n" }))
        .route("/notes", get(list).post(create))
        .route("/import", post(import))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).with_graceful_shutdown(stop_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn stop_signal() {
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

async fn index(State(app): Shared) -> Result<Html<String>, Failure> {
    let mut context = tera::Context::new();
    context.insert("title", "Notes");
    context.insert("notes", &db::all(&app.db).await?);
    Ok(Html(app.templates.render("index.html", &context)?))
}

async fn list(State(app): Shared) -> Result<Json<Vec<db::Note>>, Failure> {
    Ok(Json(db::all(&app.db).await?))
}

#[derive(Deserialize)]
struct NewNote {
    title: String,
    body: String,
}

async fn create(State(app): Shared, Json(note): Json<NewNote>) -> Result<impl IntoResponse, Failure> {
    let id = db::insert(&app.db, &note.title, &note.body).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

#[derive(Deserialize)]
struct Import {
    url: String,
}

/// Fetches a page and keeps its first 200 characters as a note.
async fn import(State(app): Shared, Json(req): Json<Import>) -> Result<impl IntoResponse, Failure> {
    let response = app.http.get(&req.url).send().await?.error_for_status()?;
    let text: String = response.text().await?.chars().take(200).collect();
    let id = db::insert(&app.db, &req.url, &text).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id, "bytes": text.len() }))))
}

/// Any handler error: logged, answered with 500 and its message.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(err: E) -> Self {
        Failure(err.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        tracing::error!("request failed: {}", self.0);
        (StatusCode::INTERNAL_SERVER_ERROR, self.0 + "\n").into_response()
    }
}
