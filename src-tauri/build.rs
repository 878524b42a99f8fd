fn main() {
    // generate_context! only tracks files that existed at the last build, so
    // new or removed files in ui/ and edited icons must trigger a rebuild too.
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=../icons");
    tauri_build::build()
}
