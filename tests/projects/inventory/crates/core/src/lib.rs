//! What the inventory server and its CLI share: the item type, validation, and the allocator.
//!
//! The `#[global_allocator]` lives here, not in a binary: every program linking this crate
//! runs on jemalloc, and no binary may declare a second one.

use serde::{Deserialize, Serialize};

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The allocator every binary of the workspace runs on, for /health and `inv --version`.
pub const ALLOCATOR: &str = "jemalloc";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
}

impl Item {
    /// A SKU is 3 to 16 characters of A-Z, 0-9 and '-'.
    pub fn validate(&self) -> Result<(), String> {
        let sku_ok = (3..=16).contains(&self.sku.len())
            && self.sku.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if !sku_ok {
            return Err(format!("bad SKU {:?}: 3-16 characters of A-Z, 0-9 and '-'", self.sku));
        }
        if self.name.trim().is_empty() {
            return Err("the name is empty".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sku_rules() {
        let item = |sku: &str| Item { sku: sku.into(), name: "bolt".into(), quantity: 1 };
        assert!(item("BOLT-M6").validate().is_ok());
        assert!(item("bolt").validate().is_err());
        assert!(item("AB").validate().is_err());
    }
}
