//! Proves build.rs reached the builder: the binary prints what it generated.
use std::{env, fs, path::Path};

fn main() {
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("stamp.rs");
    fs::write(out, "pub const STAMP: &str = \"made by build.rs\";\n").unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
