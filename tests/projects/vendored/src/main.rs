//! Prints a checksum that touches every vendored crate.

fn main() {
    let mut acc: u64 = 1;
    acc = acc.wrapping_add(rdk_heavy_01::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_02::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_03::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_04::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_05::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_06::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_07::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_08::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_09::checksum(acc));
    acc = acc.wrapping_add(rdk_heavy_10::checksum(acc));
    println!("vendored-app: 10 crates, checksum {acc}");
}
