//! ledger: an axum + diesel service whose database backend is a cargo feature.
//!
//! - `--features postgres`: diesel on libpq (pq-sys): libpq-dev to build, libpq5 at run time.
//!   Connects on each request, so it starts (and answers /health) without a database.
//! - `--features sqlite`: SQLite compiled in (libsqlite3-sys `bundled`); creates
//!   `data/ledger.db` in the working directory at start.
//! - No feature: build.rs stops the build with a message naming both.
//! - Listens on 0.0.0.0:`LEDGER_PORT` (8000). Stops gracefully on SIGTERM.

use std::net::{Ipv4Addr, SocketAddr};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use clap::Parser;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::signal::unix::{signal, SignalKind};

#[cfg(feature = "postgres")]
mod backend {
    pub type Conn = diesel::pg::PgConnection;
    pub const NAME: &str = "postgres";
    pub const DEFAULT_URL: &str = "postgres://ledger@localhost/ledger";
    pub const CREATE: &str =
        "CREATE TABLE IF NOT EXISTS entries (id SERIAL PRIMARY KEY, memo TEXT NOT NULL, cents BIGINT NOT NULL)";

    /// Nothing at start: the server may come up after us, each request connects.
    pub fn prepare(_url: &str) -> Result<(), String> {
        Ok(())
    }
}

#[cfg(all(feature = "sqlite", not(feature = "postgres")))]
mod backend {
    pub type Conn = diesel::sqlite::SqliteConnection;
    pub const NAME: &str = "sqlite";
    pub const DEFAULT_URL: &str = "data/ledger.db";
    pub const CREATE: &str =
        "CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY AUTOINCREMENT, memo TEXT NOT NULL, cents BIGINT NOT NULL)";

    /// The database lives in the working directory: create it now, so a read-only one
    /// fails at start rather than at the first request.
    pub fn prepare(path: &str) -> Result<(), String> {
        if let Some(dir) = std::path::Path::new(path).parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        super::connect(path).map(drop)
    }
}

diesel::table! {
    entries (id) {
        id -> Integer,
        memo -> Text,
        cents -> BigInt,
    }
}

#[derive(Parser, Debug)]
#[command(version, about = "A ledger of entries in a database chosen at build time")]
struct Args {
    #[arg(long, env = "LEDGER_PORT", default_value_t = 8000)]
    port: u16,
    #[arg(long, env = "DATABASE_URL", default_value = backend::DEFAULT_URL)]
    database_url: String,
}

#[derive(Queryable, Serialize)]
struct Entry {
    id: i32,
    memo: String,
    cents: i64,
}

#[derive(Deserialize)]
struct NewEntry {
    memo: String,
    cents: i64,
}

type Failure = (StatusCode, String);

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(err) = backend::prepare(&args.database_url) {
        eprintln!("ledger: cannot open {}: {err}", args.database_url);
        std::process::exit(1);
    }
    let router = Router::new()
        .route("/health", get(|| async { "ok\n" }))
        .route("/backend", get(|| async { format!("{}\n", backend::NAME) }))
        .route("/entries", get(list).post(add))
        .with_state(args.database_url);
    let addr = SocketAddr::from((Ipv4Addr::UNSPECIFIED, args.port));
    let listener = tokio::net::TcpListener::bind(addr).await.expect("cannot bind the port");
    println!("ledger ({}) listening on {addr}", backend::NAME);
    axum::serve(listener, router).with_graceful_shutdown(stop_signal()).await.unwrap();
}

fn connect(url: &str) -> Result<backend::Conn, String> {
    let mut conn = backend::Conn::establish(url).map_err(|e| format!("database unavailable: {e}"))?;
    diesel::sql_query(backend::CREATE).execute(&mut conn).map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Runs `work` on a fresh connection, off the async runtime (diesel is blocking).
async fn with_db<T: Send + 'static>(
    url: String,
    work: impl FnOnce(&mut backend::Conn) -> QueryResult<T> + Send + 'static,
) -> Result<T, Failure> {
    let run = move || {
        let mut conn = connect(&url).map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e + "\n"))?;
        work(&mut conn).map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")))
    };
    tokio::task::spawn_blocking(run).await.expect("database task panicked")
}

async fn list(State(url): State<String>) -> Result<Json<Vec<Entry>>, Failure> {
    let rows = with_db(url, |conn| entries::table.order(entries::id).load::<Entry>(conn)).await?;
    Ok(Json(rows))
}

async fn add(State(url): State<String>, Json(new): Json<NewEntry>) -> Result<StatusCode, Failure> {
    with_db(url, move |conn| {
        diesel::insert_into(entries::table)
            .values((entries::memo.eq(new.memo), entries::cents.eq(new.cents)))
            .execute(conn)
    })
    .await?;
    Ok(StatusCode::CREATED)
}

async fn stop_signal() {
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
