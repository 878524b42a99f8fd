//! The desktop app's command line: `--data-dir DIR` (or `--data-dir=DIR`),
//! `--help`, `--version`, then files and URLs to import (what a file
//! manager's "Open with" passes; `--` ends the options). An unknown option
//! prints the usage and exits, rather than opening a window that ignores it.

/// What the command line asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Launch {
    /// Open the window.
    #[default]
    Run,
    /// Print the usage.
    Help,
    /// Print the version.
    Version,
}

/// The usage text.
pub const USAGE: &str = "\
Satchel: a local-first backpack for Open Badges.

Usage: satchel-desktop [--data-dir DIR] [--] [FILE|URL]...

Files, folders, zip archives and badge links named after the options are
added to the backpack, as if dropped on the window. When Satchel already runs
on the same data folder, they go to that window instead.

Options:
  --data-dir DIR   Where Satchel keeps its data (default: the platform data
                   folder; also SATCHEL_DATA_DIR)
  -h, --help       Print this help
  -V, --version    Print the version

The command-line tool `satchel` does the same work from a terminal.";

/// Reads the arguments (without the program name).
pub fn check(args: &[String]) -> Result<Launch, String> {
    read(args).map(|c| c.launch)
}

/// The command line, read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// What to do.
    pub launch: Launch,
    /// `--data-dir`, when given (the last one wins).
    pub data_dir: Option<String>,
    /// Files and URLs to import, in order, as given.
    pub items: Vec<String>,
}

/// Reads the arguments (without the program name): options first, then
/// items; `--` makes everything after it an item.
pub fn read(args: &[String]) -> Result<CommandLine, String> {
    let mut line = CommandLine::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if line.launch != Launch::Run {
            break; // help or version: the rest does not matter
        }
        match a.as_str() {
            "-h" | "--help" => line.launch = Launch::Help,
            "-V" | "--version" => line.launch = Launch::Version,
            "--data-dir" => match it.next() {
                Some(dir) => line.data_dir = Some(dir.clone()),
                None => return Err("--data-dir needs a folder".to_owned()),
            },
            "--" => {
                line.items.extend(it.by_ref().cloned());
            }
            a if a.starts_with("--data-dir=") => {
                line.data_dir = Some(a["--data-dir=".len()..].to_owned());
            }
            // "-" alone is a file name, as for most programs.
            other if other.starts_with('-') && other != "-" => {
                return Err(format!("{other:?} is not an option of satchel-desktop"))
            }
            item => line.items.push(item.to_owned()),
        }
    }
    Ok(line)
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
        // Files and URLs are items; `--` ends the options.
        assert_eq!(check(&args(&["badge.png"])), Ok(Launch::Run));
        assert!(check(&args(&["badge.png", "--verbose"])).is_err());
        assert_eq!(check(&args(&["--", "--verbose"])), Ok(Launch::Run));
    }

    #[test]
    fn items_and_the_data_folder_are_read_in_order() {
        let line = read(&args(&[
            "a.png",
            "--data-dir",
            "/d",
            "https://example.org/b.json",
            "--",
            "--data-dir=/x",
            "-h",
        ]))
        .unwrap();
        assert_eq!(line.launch, Launch::Run);
        assert_eq!(line.data_dir.as_deref(), Some("/d"));
        assert_eq!(
            line.items,
            ["a.png", "https://example.org/b.json", "--data-dir=/x", "-h"]
        );
        let line = read(&args(&["--data-dir=/e", "-", "c d.svg"])).unwrap();
        assert_eq!(line.data_dir.as_deref(), Some("/e"));
        assert_eq!(line.items, ["-", "c d.svg"]);
        assert_eq!(read(&args(&[])).unwrap(), CommandLine::default());
    }
}
