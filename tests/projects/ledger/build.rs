// The database backend is a build-time choice, and there is no default one: say so before
// rustc reports a hundred missing types.
#[cfg(not(any(feature = "postgres", feature = "sqlite")))]
compile_error!("ledger needs a database backend: build with `--features postgres` or `--features sqlite`");

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
}
