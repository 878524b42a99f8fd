//! The desktop app's command line: `--data-dir DIR` (or `--data-dir=DIR`),
//! `--help`, `--version`. Anything else prints the usage and exits, rather
//! than opening a window that ignores it.

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Launch {
    /// Open the window.
    Run,
    /// Print the usage.
    Help,
    /// Print the version.
    Version,
}

/// The usage text.
pub const USAGE: &str = "\
Satchel: a local-first backpack for Open Badges.

Usage: satchel-desktop [--data-dir DIR]

Options:
  --data-dir DIR   Where Satchel keeps its data (default: the platform data
                   folder; also SATCHEL_DATA_DIR)
  -h, --help       Print this help
  -V, --version    Print the version

The command-line tool `satchel` does the same work from a terminal.";

/// Reads the arguments (without the program name).
pub fn check(args: &[String]) -> Result<Launch, String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => return Ok(Launch::Help),
            "-V" | "--version" => return Ok(Launch::Version),
            "--data-dir" => {
                if it.next().is_none() {
                    return Err("--data-dir needs a folder".to_owned());
                }
            }
            a if a.starts_with("--data-dir=") => {}
            other => return Err(format!("{other:?} is not an option of satchel-desktop")),
        }
    }
    Ok(Launch::Run)
}

/// Why no window can open here, when that is sure before trying: on Linux
/// and the BSDs, neither `DISPLAY` nor `WAYLAND_DISPLAY` is set.
pub fn no_display() -> Option<&'static str> {
    let unix_desktop = cfg!(all(unix, not(target_os = "macos")));
    let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    (unix_desktop && !set("DISPLAY") && !set("WAYLAND_DISPLAY")).then_some(
        "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set); start Satchel from a desktop session, or use the `satchel` command-line tool",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_command_line_is_read_strictly() {
        assert_eq!(check(&args(&[])), Ok(Launch::Run));
        assert_eq!(check(&args(&["--data-dir", "/d"])), Ok(Launch::Run));
        assert_eq!(check(&args(&["--data-dir=/d"])), Ok(Launch::Run));
        assert_eq!(check(&args(&["--data-dir", "/d", "-h"])), Ok(Launch::Help));
        assert_eq!(check(&args(&["--version"])), Ok(Launch::Version));
        assert!(check(&args(&["--data-dir"])).is_err());
        let bogus = check(&args(&["--verbose"])).unwrap_err();
        assert_eq!(bogus, "\"--verbose\" is not an option of satchel-desktop");
    }
}
