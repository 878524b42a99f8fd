//! The desktop binary's command line, run for real: help, version, unknown
//! flags and a missing or broken display answer in one sentence and exit,
//! without opening a window and without a backtrace.

use std::process::Command;

fn desktop(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_satchel-desktop"));
    c.args(args).env_remove("WAYLAND_DISPLAY").env(
        "SATCHEL_DATA_DIR",
        std::env::temp_dir().join("satchel-cmdline-data"),
    );
    c
}

#[test]
fn help_and_version_print_and_exit() {
    for flag in ["--help", "-h"] {
        let out = desktop(&[flag]).env_remove("DISPLAY").output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Usage: satchel-desktop [--data-dir DIR]"),
            "{text}"
        );
    }
    let out = desktop(&["--version"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.trim(),
        format!("satchel-desktop {}", satchel::LONG_VERSION)
    );
    assert!(
        text.starts_with(&format!(
            "satchel-desktop {} (commit ",
            env!("CARGO_PKG_VERSION")
        )) && text.contains("licence Apache-2.0"),
        "{text}"
    );
    // The commit is the checkout's HEAD when built from git.
    if let Ok(head) = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
    {
        if head.status.success() && std::env::var("SATCHEL_COMMIT").is_err() {
            let head = String::from_utf8(head.stdout).unwrap();
            assert!(
                text.contains(head.trim()),
                "{text} names another commit than {head}"
            );
        }
    }
}

#[test]
fn an_unknown_flag_prints_the_usage_and_exits_2() {
    let out = desktop(&["--fullscreen"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("satchel-desktop: \"--fullscreen\" is not an option of satchel-desktop.\n"),
        "{err}"
    );
    assert!(err.contains("Usage:"), "{err}");
}

#[test]
fn without_a_display_it_says_so_in_one_sentence() {
    let out = desktop(&[]).env_remove("DISPLAY").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no display to open a window on"), "{err}");
}

#[test]
fn a_display_that_cannot_be_used_is_named_without_a_backtrace() {
    // A display number no X server listens on.
    let out = desktop(&[]).env("DISPLAY", ":97").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("the display \":97\" cannot be used"), "{err}");
}
