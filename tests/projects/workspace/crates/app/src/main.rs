//! Prints a greeting from its path dependency and a constant its build.rs wrote.

include!(concat!(env!("OUT_DIR"), "/stamp.rs"));

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "container".to_string());
    println!("{} ({STAMP})", greeter::greet(&name));
}
