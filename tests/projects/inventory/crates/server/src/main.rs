//! inventory-server: the HTTP API of the inventory (items kept in memory).
//!
//! - `GET /health` (with the allocator's name), `GET /items`, `PUT /items/{sku}`.
//! - Listens on `INVENTORY_LISTEN` (0.0.0.0:7878). Stops gracefully on SIGTERM.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use clap::Parser;
use inventory_core::{ALLOCATOR, Item};
use tokio::signal::unix::{SignalKind, signal};

#[derive(Parser, Debug)]
#[command(version, about = "The inventory HTTP API")]
struct Args {
    #[arg(long, env = "INVENTORY_LISTEN", default_value = "0.0.0.0:7878")]
    listen: SocketAddr,
}

type Items = Arc<Mutex<BTreeMap<String, Item>>>;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let router = Router::new()
        .route("/health", get(|| async { Json(serde_json::json!({ "status": "ok", "allocator": ALLOCATOR })) }))
        .route("/items", get(list))
        .route("/items/{sku}", put(upsert))
        .with_state(Items::default());
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("inventory-server: cannot listen on {}: {err}", args.listen);
            std::process::exit(1);
        }
    };
    tracing::info!("inventory-server listening on {}", args.listen);
    axum::serve(listener, router).with_graceful_shutdown(stop_signal()).await.unwrap();
    tracing::info!("stopped");
}

async fn list(State(items): State<Items>) -> Json<Vec<Item>> {
    Json(items.lock().unwrap().values().cloned().collect())
}

async fn upsert(
    State(items): State<Items>,
    Path(sku): Path<String>,
    Json(item): Json<Item>,
) -> Result<StatusCode, (StatusCode, String)> {
    if item.sku != sku {
        return Err((StatusCode::BAD_REQUEST, format!("the path says {sku}, the body {}\n", item.sku)));
    }
    item.validate().map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e + "\n"))?;
    let created = items.lock().unwrap().insert(sku, item).is_none();
    Ok(if created { StatusCode::CREATED } else { StatusCode::OK })
}

async fn stop_signal() {
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
