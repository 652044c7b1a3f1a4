//! The notes table: opened (and migrated) at start, queried with compile-time checked SQL.

use std::path::Path;

use serde::Serialize;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

#[derive(Serialize)]
pub struct Note {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub created_at: String,
}

/// Creates `data_dir` and `data_dir/notes.db` when missing, then applies migrations/.
pub async fn open(data_dir: &Path) -> Result<SqlitePool, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create the data folder {}: {e}", data_dir.display()))?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join("notes.db"))
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

pub async fn all(db: &SqlitePool) -> Result<Vec<Note>, sqlx::Error> {
    sqlx::query_as!(Note, "SELECT id, title, body, created_at FROM notes ORDER BY id")
        .fetch_all(db)
        .await
}

pub async fn insert(db: &SqlitePool, title: &str, body: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query!("INSERT INTO notes (title, body) VALUES (?, ?) RETURNING id", title, body)
        .fetch_one(db)
        .await?;
    Ok(row.id)
}
