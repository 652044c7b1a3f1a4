//! relay: a rendezvous-style server on three sockets, like the relays rustdock meets in the wild.
//!
//! - HTTP on `RELAY_HTTP_PORT` (21114): `/health`, and `/stats` counting what the others saw.
//! - TCP on `RELAY_TCP_PORT` (21116): a line protocol; each line comes back as `relay: <line>`.
//! - UDP on `RELAY_UDP_PORT` (21116): a datagram `ping` is answered with `pong`.
//! - Binds `RELAY_HOST` (0.0.0.0).
//! - Installs no signal handler: as PID 1 it ignores SIGTERM, so `docker stop` waits for the
//!   timeout unless an init (tini, `docker run --init`) forwards the signal.
//! - mimalloc is the global allocator.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use clap::Parser;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream, UdpSocket};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(version, about = "A relay: HTTP, a TCP line protocol and UDP ping")]
struct Args {
    #[arg(long, env = "RELAY_HOST", default_value = "0.0.0.0")]
    host: IpAddr,
    #[arg(long, env = "RELAY_HTTP_PORT", default_value_t = 21114)]
    http_port: u16,
    #[arg(long, env = "RELAY_TCP_PORT", default_value_t = 21116)]
    tcp_port: u16,
    #[arg(long, env = "RELAY_UDP_PORT", default_value_t = 21116)]
    udp_port: u16,
}

#[derive(Default)]
struct Stats {
    lines: AtomicU64,
    pings: AtomicU64,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let stats = Arc::new(Stats::default());
    let http = TcpListener::bind((args.host, args.http_port)).await?;
    let tcp = TcpListener::bind((args.host, args.tcp_port)).await?;
    let udp = UdpSocket::bind((args.host, args.udp_port)).await?;
    println!(
        "relay: http {} tcp {} udp {}",
        http.local_addr()?,
        tcp.local_addr()?,
        udp.local_addr()?
    );
    tokio::spawn(serve_tcp(tcp, stats.clone()));
    tokio::spawn(serve_udp(udp, stats.clone()));
    let router = Router::new()
        .route("/health", get(|| async { "ok\n" }))
        .route("/stats", get(snapshot))
        .with_state(stats);
    axum::serve(http, router).await
}

async fn snapshot(State(stats): State<Arc<Stats>>) -> Json<BTreeMap<&'static str, u64>> {
    Json(BTreeMap::from([
        ("lines", stats.lines.load(Ordering::Relaxed)),
        ("pings", stats.pings.load(Ordering::Relaxed)),
    ]))
}

async fn serve_tcp(listener: TcpListener, stats: Arc<Stats>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        tokio::spawn(relay_lines(stream, stats.clone()));
    }
}

async fn relay_lines(stream: TcpStream, stats: Arc<Stats>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    while let Some(line) = lines.next_line().await? {
        stats.lines.fetch_add(1, Ordering::Relaxed);
        write.write_all(format!("relay: {line}\n").as_bytes()).await?;
    }
    Ok(())
}

async fn serve_udp(socket: UdpSocket, stats: Arc<Stats>) -> std::io::Result<()> {
    let mut buf = [0u8; 1500];
    loop {
        let (n, peer) = socket.recv_from(&mut buf).await?;
        if buf[..n].trim_ascii() == b"ping" {
            stats.pings.fetch_add(1, Ordering::Relaxed);
            socket.send_to(b"pong", peer).await?;
        }
    }
}
