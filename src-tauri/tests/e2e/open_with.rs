//! "Open with Satchel": files named on the command line land on the Import
//! screen with the per-item report of a drop, and a second launch on the same
//! data folder hands its file to the running window (single instance, over a
//! session D-Bus of the test's own) instead of opening another; a launch on
//! another data folder is an instance of its own.

use super::*;

/// A private session bus: `dbus-daemon` on a socket in `dir`. Returns the
/// guard and the address for `DBUS_SESSION_BUS_ADDRESS`.
fn session_bus(dir: &Path) -> (KillOnDrop, String) {
    let socket = dir.join("bus");
    let address = format!("unix:path={}", socket.display());
    let (out, err) = log_file(dir, "dbus.log");
    let child = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile"])
        .arg(format!("--address={address}"))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("start dbus-daemon (apt-get install dbus-daemon)");
    let guard = KillOnDrop {
        name: "dbus-daemon",
        child,
    };
    let deadline = Instant::now() + WAIT;
    while !socket.exists() {
        assert!(
            Instant::now() < deadline,
            "dbus-daemon did not listen on {address}"
        );
        sleep(Duration::from_millis(50));
    }
    (guard, address)
}

/// A data folder in offline mode, so nothing imported reaches the network.
fn offline_data_dir(name: &str) -> PathBuf {
    let data = temp_dir(name);
    std::fs::write(data.join("settings.json"), r#"{ "offline": true }"#).unwrap();
    data
}

/// The test assertion under another id and name.
fn assertion(n: u32, name: &str) -> String {
    ASSERTION
        .replace("assertions/1042", &format!("assertions/{n}"))
        .replace("Analytical Engines", name)
}

/// Runs the app as a file manager would, on `display` and `bus`, from `cwd`.
fn second_launch(args: &[String], cwd: &Path, display: &str, bus: &str) -> Child {
    Command::new(app())
        .args(args)
        .current_dir(cwd)
        .env("DISPLAY", display)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a second satchel-desktop")
}

/// The badges in the backpack at `data`, by name (read with the core).
fn names_in(data: &Path) -> Vec<String> {
    let app = satchel::app::App::open_at(data).unwrap();
    let page = app.list(&satchel::store::BadgeQuery::default()).unwrap();
    page.items
        .into_iter()
        .map(|b| b.name.unwrap_or_default())
        .collect()
}

#[test]
fn a_second_launch_hands_its_file_to_the_running_window() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let shots = shots();
    let logs = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let data = offline_data_dir("e2e-open-data");
    let files = temp_dir("e2e-open-files");
    let first = files.join("analytical engines.json");
    std::fs::write(&first, ASSERTION).unwrap();
    std::fs::write(
        files.join("difference.json"),
        assertion(7, "Difference Engines"),
    )
    .unwrap();
    std::fs::write(files.join("notes.txt"), "not a badge").unwrap();

    let (_x, display) = start_xvfb(&logs);
    let bus_dir = temp_dir("e2e-open-bus");
    let (_bus, bus) = session_bus(&bus_dir);
    let (_d, port, mode) = start_driver(
        &display,
        &logs,
        &[("DBUS_SESSION_BUS_ADDRESS", bus.as_str())],
    );

    // Opened with a badge and a file that is not one: the Import screen's
    // report, as for a drop.
    let wd = WebDriver::start(
        port,
        mode,
        &[
            "--data-dir".to_owned(),
            data.display().to_string(),
            first.display().to_string(),
            files.join("notes.txt").display().to_string(),
        ],
    );
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    wd.wait_for_text("#import-counts", |t| t.contains("1 added"));
    assert!(
        wd.is_visible("#screen-import"),
        "the Import screen is shown"
    );
    let results = wd.text(&wd.find("#import-results"));
    assert!(results.contains("Analytical Engines"), "{results}");
    assert!(results.contains("notes.txt"), "{results}");
    assert!(results.contains("Not a badge"), "{results}");
    wd.screenshot(&shots.join("open-with-import.png"));

    // A second launch on the same data folder, with a path relative to its
    // own folder, gives the file to this window and exits.
    let mut second = second_launch(
        &[
            "--data-dir".to_owned(),
            data.display().to_string(),
            "difference.json".to_owned(),
        ],
        &files,
        &display,
        &bus,
    );
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("the second launch did not hand over and exit");
        }
        sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "the second launch exited with {status}");
    wd.wait_for_text("#import-results", |t| t.contains("Difference Engines"));
    wd.wait_for_text("#import-counts", |t| t.contains("1 added"));
    wd.wait_for_script("return document.body.dataset.badgeCount === '2'");
    let handles = wd.get("/window/handles");
    assert_eq!(handles.as_array().map(Vec::len), Some(1), "{handles}");

    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 2");
    wd.screenshot(&shots.join("open-with-backpack.png"));

    // Another data folder is another instance: it keeps its file.
    let other = offline_data_dir("e2e-open-other");
    let mut third = KillOnDrop {
        name: "satchel-desktop (another data folder)",
        child: second_launch(
            &[
                "--data-dir".to_owned(),
                other.display().to_string(),
                files.join("difference.json").display().to_string(),
            ],
            &files,
            &display,
            &bus,
        ),
    };
    let deadline = Instant::now() + WAIT;
    while names_in(&other).is_empty() {
        if let Ok(Some(status)) = third.child.try_wait() {
            panic!("the launch on another data folder exited ({status}) instead of opening");
        }
        assert!(
            Instant::now() < deadline,
            "nothing was imported into {}",
            other.display()
        );
        sleep(Duration::from_millis(200));
    }
    assert_eq!(names_in(&other), ["Difference Engines"]);
    let mut mine = names_in(&data);
    mine.sort();
    assert_eq!(mine, ["Analytical Engines", "Difference Engines"]);
}
