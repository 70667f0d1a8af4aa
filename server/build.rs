// `sqlx::migrate!` embeds the migrations at compile time but, on stable Rust, does not tell Cargo to watch
// them: without this, an edited migration would not reach the binary until some Rust file changed too.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
