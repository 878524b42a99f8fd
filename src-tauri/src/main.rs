#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use satchel_desktop::args::{check, no_display, Launch, USAGE};
use std::process::ExitCode;

fn main() -> ExitCode {
    // First thing: the launch timing (SATCHEL_LAUNCH_TIMING=1) counts from here.
    let launched = std::time::Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match check(&args) {
        Ok(Launch::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Launch::Version) => {
            println!("satchel-desktop {}", satchel::LONG_VERSION);
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("satchel-desktop: {problem}.\n\n{USAGE}");
            return ExitCode::from(2);
        }
        Ok(Launch::Run) => {}
    }
    if let Some(why) = no_display() {
        eprintln!("satchel-desktop: {why}.");
        return ExitCode::from(1);
    }
    satchel_desktop::run_from(launched);
    ExitCode::SUCCESS
}
