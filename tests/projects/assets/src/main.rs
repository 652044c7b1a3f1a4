//! Renders templates/page.html and checks static/style.css, both read at run time:
//! the image must carry them. Looks next to the binary first, then in the working dir.

use std::path::PathBuf;

fn find(rel: &str) -> Option<PathBuf> {
    let beside_exe = std::env::current_exe().ok()?.parent()?.join(rel);
    [beside_exe, PathBuf::from(rel)].into_iter().find(|p| p.is_file())
}

fn main() {
    let (Some(page), Some(css)) = (find("templates/page.html"), find("static/style.css")) else {
        eprintln!("assets-app: templates/page.html or static/style.css is missing");
        std::process::exit(1);
    };
    let html = std::fs::read_to_string(page).unwrap().replace("{{title}}", "rustdock assets");
    let css_bytes = std::fs::metadata(css).unwrap().len();
    println!("{}", html.lines().last().unwrap_or(""));
    println!("static/style.css: {css_bytes} bytes");
}
