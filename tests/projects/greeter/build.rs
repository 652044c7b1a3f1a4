// Generates the gRPC server and client from the .proto files: tonic-prost-build runs
// protoc, which must be on PATH (or named by PROTOC) wherever this crate is built.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    tonic_prost_build::configure().compile_protos(&["proto/greeter/v1/greeter.proto"], &["proto"])?;
    Ok(())
}
