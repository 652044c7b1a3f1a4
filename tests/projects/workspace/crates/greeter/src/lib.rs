//! A path dependency of the workspace's binary.

pub fn greet(name: &str) -> String {
    format!("hello, {name}, from the greeter crate")
}
