//! Fills a fresh data folder with an issuer, a badge class and `COUNT`
//! awards for the awards list's E2E test and benchmark: the issuer and class
//! through the application (`App::create_issuer`, `App::create_class`), the
//! award rows straight through the store in one transaction (unsigned,
//! as the list never reads the documents; every tenth revoked, every
//! seventh suspended), and one real award, signed and baked, last.
//!
//! `cargo run --release -p satchel-desktop --example seed_awards -- DATA_DIR COUNT`

use std::path::Path;

#[allow(dead_code)] // the E2E test includes this file for `seed_awards` only
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: seed_awards DATA_DIR COUNT");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("create the data folder");
    let issuer = seed_awards(Path::new(dir), n);
    println!("issuer {issuer}");
}

/// Makes an issuer with a class and `n` awards in `data`; returns the issuer's number.
pub fn seed_awards(data: &Path, n: usize) -> i64 {
    use satchel::app::{App, NewClass, NewIssuer};
    use satchel::store::NewAward;
    let app = App::open_at(data).unwrap();
    let issuer = app
        .create_issuer(&NewIssuer {
            name: "Harbour Coding Club".into(),
            url: "https://club.example/".into(),
            email: "badges@club.example".into(),
            base_url: "https://club.example/badges/".into(),
            ..NewIssuer::default()
        })
        .unwrap()
        .issuer
        .id;
    let image = data.join("class.svg");
    std::fs::write(
        &image,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><circle cx="128" cy="128" r="120" fill="#2b59c3"/></svg>"##,
    )
    .unwrap();
    let class = app
        .create_class(&NewClass {
            issuer,
            name: "Harbour Navigator".into(),
            description: "Plotted a course across the harbour.".into(),
            image,
            criteria: Some("Plot a course.".into()),
            format: "ob3".into(),
            suspendable: true,
            ..NewClass::default()
        })
        .unwrap()
        .id;
    let store = app.store();
    store
        .atomically(|s| {
            for i in 0..n {
                let recipient = format!("sailor{i}@example.org");
                let name = format!("Sailor number {i}");
                let uid = format!("{i:08}-0000-4000-8000-000000000000");
                let id = s.insert_award(&NewAward {
                    class_id: class,
                    uid: &uid,
                    recipient: &recipient,
                    recipient_kind: "email",
                    hashed: true,
                    salt: Some("salt"),
                    recipient_name: Some(&name),
                    issued_on: 1_700_000_000 + i as i64 * 60,
                    expires: None,
                    narrative: None,
                    evidence_url: None,
                    evidence_narrative: None,
                    document: "{}",
                    jwt: None,
                    created: 1_700_000_000 + i as i64 * 60,
                })?;
                if i % 10 == 3 {
                    s.revoke_award(id, "Awarded by mistake", 1_700_000_000)?;
                } else if i % 7 == 5 {
                    s.set_award_suspended(id, true, 1_700_000_000)?;
                }
            }
            Ok::<_, satchel::store::StoreError>(())
        })
        .unwrap();
    drop(store);
    // And one real award, signed and baked, newest of all.
    app.award(
        class,
        &satchel::issuer::AwardInput {
            recipient: "ada.lovelace@example.org".into(),
            name: Some("Ada Lovelace".into()),
            narrative: Some("Crossed the harbour in fog.".into()),
            ..Default::default()
        },
        &app.award_folder(issuer),
    )
    .unwrap();
    issuer
}
