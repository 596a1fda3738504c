// The one definition of where the shared test material lives, included (with
// `include!`) by the tests and benches crates and by their build scripts, so
// that all four agree.

/// The shared material (`../shared/` beside the repository), or the
/// directory `AVRO_SHARED_DIR` names (to run the same tests over other cases
/// in the same layout).
pub fn shared_dir() -> std::path::PathBuf {
    match std::env::var_os("AVRO_SHARED_DIR") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}
