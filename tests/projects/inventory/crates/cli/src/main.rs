//! inv: the command-line client of inventory-server.
//!
//!     inv list
//!     inv set BOLT-M6 "M6 bolt" 250
//!
//! The server is `INVENTORY_URL` (http://127.0.0.1:7878).

use clap::{Parser, Subcommand};
use inventory_core::{ALLOCATOR, Item};

#[derive(Parser, Debug)]
#[command(version, about = "Inventory client")]
struct Args {
    #[arg(long, env = "INVENTORY_URL", default_value = "http://127.0.0.1:7878")]
    server: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List every item.
    List,
    /// Create or replace an item.
    Set { sku: String, name: String, quantity: u32 },
    /// Print which allocator this build runs on.
    Allocator,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Err(err) = run(args).await {
        eprintln!("inv: {err}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::new();
    let base = args.server.trim_end_matches('/');
    match args.command {
        Command::List => {
            let items: Vec<Item> = client.get(format!("{base}/items")).send().await?.error_for_status()?.json().await?;
            for item in items {
                println!("{:<16} {:>6}  {}", item.sku, item.quantity, item.name);
            }
        }
        Command::Set { sku, name, quantity } => {
            let item = Item { sku, name, quantity };
            item.validate()?;
            let url = format!("{base}/items/{}", item.sku);
            let status = client.put(url).json(&item).send().await?.error_for_status()?.status();
            println!("{} {}", status.as_u16(), item.sku);
        }
        Command::Allocator => println!("{ALLOCATOR}"),
    }
    Ok(())
}
