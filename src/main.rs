//! The leptos-logto demo app: Logto's Angular guide, as a Leptos CSR app.
//! Reads `/config.json` at start-up, so one release build deploys to any tenant.

mod demo;

fn main() {
    leptos::mount::mount_to_body(demo::Root);
}
