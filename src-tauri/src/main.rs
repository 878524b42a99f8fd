#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // First thing: the launch timing (SATCHEL_LAUNCH_TIMING=1) counts from here.
    let launched = std::time::Instant::now();
    satchel_desktop::run_from(launched)
}
