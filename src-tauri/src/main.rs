// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The binaries' allocator is mimalloc: a scan allocates millions of small,
/// short-lived strings, and glibc malloc spent about a fifth of a credential
/// sheet's scan in its own upkeep (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    credence_desktop::run();
}
