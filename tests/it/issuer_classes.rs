//! Badge class alignments: checked and kept in the fields both formats
//! share, published in the OB 2.0 BadgeClass as given and in the OB 3.0
//! achievement with its `type`; awards with them pass the self-check.

use crate::issuer::World;
use crate::support::{files_under, make_png};
use satchel::app::{ClassEdit, ErrorCode, NewClass};
use serde_json::{json, Value};

fn alignment(name: &str, url: &str) -> Value {
    json!({
        "targetName": name,
        "targetUrl": url,
        "targetFramework": "Digital Competence Framework",
        "targetCode": "DC-3.4",
        "targetDescription": "",
        "extra": "<dropped>",
    })
}

fn class(
    w: &World,
    issuer: i64,
    format: &str,
    alignments: Vec<Value>,
) -> Result<i64, satchel::app::AppError> {
    let image = w.path("class.png");
    std::fs::write(&image, make_png(128, 128)).unwrap();
    w.issuer_app
        .create_class(&NewClass {
            issuer,
            name: "Programming".into(),
            description: "Wrote and ran a program.".into(),
            image,
            criteria: Some("Write a program.".into()),
            format: format.into(),
            alignments,
            ..NewClass::default()
        })
        .map(|c| c.id)
}

#[test]
fn alignments_are_checked_and_published_in_each_format() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let given = vec![alignment(
        " Programming ",
        "https://competences.example/dc/3.4",
    )];
    let ob3 = class(&w, issuer, "ob3", given.clone()).unwrap();
    let stored = w.issuer_app.class(ob3).unwrap().alignments;
    assert_eq!(
        stored,
        vec![json!({
            "targetName": "Programming",
            "targetUrl": "https://competences.example/dc/3.4",
            "targetFramework": "Digital Competence Framework",
            "targetCode": "DC-3.4",
        })],
        "trimmed, empty and unknown fields left out"
    );

    // An OB 3.0 award carries them typed, and passes the self-check.
    let done = w.award(ob3, "ada@example.org", "out3");
    let award = &w.issuer_app.awards(Some(ob3), None).unwrap()[0];
    assert_eq!(award.id, done.id);
    let doc: Value = serde_json::from_str(&award.document).unwrap();
    let a = &doc["credentialSubject"]["achievement"]["alignment"][0];
    assert_eq!(a["type"], json!(["Alignment"]));
    assert_eq!(a["targetCode"], json!("DC-3.4"));

    // The OB 2.0 BadgeClass carries them as stored.
    let ob2 = class(&w, issuer, "ob2-hosted", given).unwrap();
    w.award(ob2, "grace@example.org", "out2");
    w.issuer_app.publish(issuer, &w.path("site")).unwrap();
    let published: Vec<Value> = files_under(&w.path("site"))
        .iter()
        .filter_map(|f| serde_json::from_slice::<Value>(&std::fs::read(f).ok()?).ok())
        .filter(|d| d["type"] == json!("BadgeClass"))
        .collect();
    assert_eq!(
        published.len(),
        1,
        "the OB 2.0 class is a BadgeClass document"
    );
    for c in published {
        assert_eq!(c["alignment"][0]["targetName"], json!("Programming"));
        assert_eq!(c["alignment"][0].get("type"), None);
    }
}

#[test]
fn bad_alignments_are_refused_with_a_sentence() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let cases = [
        (
            json!({ "targetUrl": "https://x.example/" }),
            "alignment 1 has no name",
        ),
        (
            json!({ "targetName": "Sailing" }),
            "alignment 1 has no web address",
        ),
        (
            json!({ "targetName": "Sailing", "targetUrl": "javascript:alert(1)" }),
            "alignment URL",
        ),
    ];
    for (a, says) in cases {
        let e = class(&w, issuer, "ob3", vec![a]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Invalid);
        assert!(e.message().contains(says), "{}", e.message());
    }
    let many = vec![alignment("A", "https://a.example/"); 21];
    assert!(class(&w, issuer, "ob3", many)
        .unwrap_err()
        .message()
        .contains("at most 20"));
    assert!(
        w.issuer_app.classes(Some(issuer)).unwrap().is_empty(),
        "nothing was made"
    );

    // Editing replaces them, and refuses bad ones without a change.
    let id = class(
        &w,
        issuer,
        "ob3",
        vec![alignment("A", "https://a.example/")],
    )
    .unwrap();
    let edit = |alignments: Vec<Value>| {
        w.issuer_app.edit_class(
            id,
            &ClassEdit {
                alignments: Some(alignments),
                ..ClassEdit::default()
            },
        )
    };
    assert!(edit(vec![json!({ "targetName": "B" })]).is_err());
    assert_eq!(
        w.issuer_app.class(id).unwrap().alignments[0]["targetName"],
        json!("A")
    );
    assert!(edit(Vec::new()).unwrap().alignments.is_empty());
}
