//! greeter: a tonic gRPC service, with a plain HTTP `/health` on the same port.
//!
//! - `greeter` serves on `GREETER_ADDR` (0.0.0.0:50051): gRPC `greeter.v1.Greeter/SayHello`
//!   over h2c, and `GET /health` over HTTP/1.1, multiplexed by axum.
//! - `greeter --call http://HOST:PORT NAME` is its own client: one SayHello, the reply
//!   printed, exit 0 (a test runs it inside the container with `docker exec`).
//! - Stops gracefully on SIGTERM and SIGINT.
//! - build.rs compiles proto/ with protoc.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::routing::get;
use clap::Parser;
use tokio::signal::unix::{signal, SignalKind};
use tonic::{Request, Response, Status};

pub mod proto {
    tonic::include_proto!("greeter.v1");
}

use proto::greeter_client::GreeterClient;
use proto::greeter_server::{Greeter, GreeterServer};
use proto::{HelloReply, HelloRequest};

#[derive(Parser, Debug)]
#[command(version, about = "A gRPC greeter (and its own client with --call)")]
struct Args {
    /// Address to serve gRPC and /health on.
    #[arg(long, env = "GREETER_ADDR", default_value = "0.0.0.0:50051")]
    addr: SocketAddr,
    /// Act as a client: call SayHello on this server URL, print the reply and exit.
    #[arg(long, value_name = "URL")]
    call: Option<String>,
    /// The name to greet with --call.
    #[arg(default_value = "world")]
    name: String,
}

#[derive(Default)]
struct Service {
    greeted: AtomicU64,
}

#[tonic::async_trait]
impl Greeter for Service {
    async fn say_hello(&self, request: Request<HelloRequest>) -> Result<Response<HelloReply>, Status> {
        let name = request.into_inner().name;
        if name.is_empty() {
            return Err(Status::invalid_argument("name is empty"));
        }
        let count = self.greeted.fetch_add(1, Ordering::Relaxed) + 1;
        Ok(Response::new(HelloReply { message: format!("hello, {name}"), count }))
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let result = match &args.call {
        Some(url) => call(url.clone(), args.name.clone()).await,
        None => serve(args.addr).await,
    };
    if let Err(err) = result {
        eprintln!("greeter: {err}");
        std::process::exit(1);
    }
}

async fn serve(addr: SocketAddr) -> Result<(), Box<dyn std::error::Error>> {
    let router = tonic::service::Routes::new(GreeterServer::new(Service::default()))
        .into_axum_router()
        .route("/health", get(|| async { "ok\n" }));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("greeter: gRPC and /health on {}", listener.local_addr()?);
    axum::serve(listener, router).with_graceful_shutdown(stop_signal()).await?;
    println!("greeter: stopped");
    Ok(())
}

async fn call(url: String, name: String) -> Result<(), Box<dyn std::error::Error>> {
    let mut client = GreeterClient::connect(url).await?;
    let reply = client.say_hello(HelloRequest { name }).await?.into_inner();
    println!("{} (#{})", reply.message, reply.count);
    Ok(())
}

async fn stop_signal() {
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
