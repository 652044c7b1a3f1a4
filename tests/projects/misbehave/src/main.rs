//! A std-only HTTP service on PORT (default 8080) that serves GET /health, and misbehaves
//! the way the MISBEHAVE environment variable says, so `rustdock verify` has something to
//! catch:
//!   exit       dies at start with an error message (exit code 3)
//!   sigterm    installs no SIGTERM handler: as PID 1 it ignores `docker stop`
//!   localhost  listens on 127.0.0.1 only: unreachable from outside the container
//! Anything else (or nothing): behaves, and exits cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" {
    // std already links the C library; declaring signal(2) avoids a libc crate.
    fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
}

extern "C" fn on_signal(_: i32) {
    STOP.store(true, Ordering::SeqCst);
}

const SIGINT: i32 = 2;
const SIGTERM: i32 = 15;

fn main() {
    let mode = std::env::var("MISBEHAVE").unwrap_or_default();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    if mode == "exit" {
        eprintln!("misbehave: cannot open the database, giving up");
        std::process::exit(3);
    }
    if mode != "sigterm" {
        unsafe {
            signal(SIGTERM, on_signal);
            signal(SIGINT, on_signal);
        }
    }
    let host = if mode == "localhost" { "127.0.0.1" } else { "0.0.0.0" };
    let listener = TcpListener::bind((host, port)).expect("cannot bind the port");
    listener.set_nonblocking(true).expect("non-blocking listener");
    println!("listening on {}", listener.local_addr().unwrap());
    while !STOP.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => serve(stream),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    println!("stopping on a signal");
}

fn serve(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut request = String::new();
    if BufReader::new(&stream).read_line(&mut request).is_err() {
        return;
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = if path == "/health" { ("200 OK", "ok\n") } else { ("404 Not Found", "not found\n") };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
