//! `satchel identity …`.

use crate::common::{count, open, print_json};
use crate::Failure;
use satchel::app::IdentityChange;
use serde_json::json;
use std::path::PathBuf;

/// `satchel identity ...`.
#[derive(clap::Subcommand)]
pub enum IdentityCommand {
    /// Add identities: email addresses, web addresses, phone numbers (+...), DIDs.
    Add {
        /// The identities.
        #[arg(required = true)]
        values: Vec<String>,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// List identities.
    List {
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Remove an identity (by value or number).
    Remove {
        /// The identity.
        value: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
}

/// "3 badges in your backpack were issued to one of your identities."
fn yours(change: &IdentityChange) -> String {
    format!(
        "{} in your backpack {} issued to one of your identities.",
        count(change.yours, "badge", "badges"),
        if change.yours == 1 { "was" } else { "were" }
    )
}

/// `satchel identity ...`.
pub fn run(cmd: IdentityCommand, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    match cmd {
        IdentityCommand::Add { values, json } => {
            let mut last = None;
            for v in &values {
                let change = app.add_identity(v)?;
                if let Some(id) = &change.identity {
                    if json {
                        print_json(
                            &json!({"id": id.id, "kind": id.kind, "value": id.value, "added": change.changed}),
                        );
                    } else if change.changed {
                        say!("Added {} {}.", id.kind.as_str(), id.value);
                    } else {
                        say!("{} is already one of your identities.", id.value);
                    }
                }
                last = Some(change);
            }
            if let (Some(change), false) = (last, json) {
                say!("{}", yours(&change));
            }
        }
        IdentityCommand::List { json } => {
            let all = app.identities()?;
            if all.is_empty() && !json {
                say!("No identities yet. Add your email addresses with `satchel identity add EMAIL`.");
            }
            for i in all {
                if json {
                    print_json(&i);
                } else {
                    say!("{:>4}  {:<9} {}", i.id, i.kind.as_str(), i.value);
                }
            }
        }
        IdentityCommand::Remove { value, json } => {
            let result = app.remove_identity(&value);
            if json {
                print_json(&json!({"value": value, "removed": result.is_ok()}));
            }
            let change = result?;
            if !json {
                say!("Removed {value}. {}", yours(&change));
            }
        }
    }
    Ok(())
}
