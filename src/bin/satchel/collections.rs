//! `satchel collection …`.

use crate::common::{count, open, print_json};
use crate::output::clean;
use crate::Failure;
use satchel::app::{App, AppError, ErrorCode};
use satchel::store::CollectionSummary;
use serde_json::{json, Value};
use std::path::PathBuf;

/// `satchel collection ...`.
#[derive(clap::Subcommand)]
pub enum CollectionCommand {
    /// Create a collection.
    Create {
        /// Its name.
        name: String,
        /// What it is for.
        #[arg(long, short = 'd', default_value = "")]
        description: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Rename a collection.
    Rename {
        /// The collection (name or number).
        collection: String,
        /// The new name.
        name: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Set a collection's description (empty text clears it).
    Describe {
        /// The collection (name or number).
        collection: String,
        /// The description.
        text: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Delete a collection (its badges stay in the backpack).
    Delete {
        /// The collection (name or number).
        collection: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Add badges to a collection (at the end, or at a position).
    Add {
        /// The collection (name or number).
        collection: String,
        /// Badge numbers.
        #[arg(required = true, value_parser = crate::common::badge_number)]
        ids: Vec<i64>,
        /// Insert at this position (1 = first).
        #[arg(long, value_name = "POS")]
        at: Option<usize>,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Remove badges from a collection.
    Remove {
        /// The collection (name or number).
        collection: String,
        /// Badge numbers.
        #[arg(required = true, value_parser = crate::common::badge_number)]
        ids: Vec<i64>,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Move a badge to a position within a collection (1 = first).
    Move {
        /// The collection (name or number).
        collection: String,
        /// The badge number.
        #[arg(value_parser = crate::common::badge_number)]
        id: i64,
        /// The new position (1 = first).
        position: usize,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// List collections.
    List {
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Show a collection and its badges in order.
    Show {
        /// The collection (name or number).
        collection: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
}

/// A collection as JSON: its summary and its badge numbers in order.
fn collection_json(app: &App, c: &CollectionSummary) -> Result<Value, AppError> {
    let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
    v["badges"] = json!(app.collection_badge_ids(c.id)?);
    Ok(v)
}

/// What one command did: whether JSON was asked for, the JSON, the text.
type Done = (bool, Value, String);

/// `satchel collection ...`.
pub fn run(cmd: CollectionCommand, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let app = open(data_dir)?;
    let (json_out, value, text) = match cmd {
        CollectionCommand::List { json } => return list(&app, json),
        CollectionCommand::Show { collection, json } => show(&app, &collection, json)?,
        cmd => change(&app, cmd)?,
    };
    if json_out {
        print_json(&value);
    } else {
        say!("{text}");
    }
    Ok(())
}

/// The commands that change a collection.
fn change(app: &App, cmd: CollectionCommand) -> Result<Done, AppError> {
    let find = |name: &str| app.find_collection(name);
    Ok(match cmd {
        CollectionCommand::Create {
            name,
            description,
            json,
        } => {
            let c = app.create_collection(&name, &description)?;
            let text = format!("Created collection {} ({}).", c.name, c.id);
            (json, collection_json(app, &c)?, text)
        }
        CollectionCommand::Rename {
            collection,
            name,
            json,
        } => {
            let c = app.rename_collection(find(&collection)?.id, &name)?;
            let text = format!("Renamed the collection to {}.", c.name);
            (json, collection_json(app, &c)?, text)
        }
        CollectionCommand::Describe {
            collection,
            text,
            json,
        } => {
            let c = app.describe_collection(find(&collection)?.id, &text)?;
            let text = format!("Saved the description of {}.", c.name);
            (json, collection_json(app, &c)?, text)
        }
        CollectionCommand::Delete { collection, json } => {
            let c = find(&collection)?;
            app.delete_collection(c.id)?;
            let text = format!(
                "Deleted collection {} (its badges stay in the backpack).",
                c.name
            );
            (
                json,
                json!({"id": c.id, "name": c.name, "deleted": true}),
                text,
            )
        }
        CollectionCommand::Add {
            collection,
            ids,
            at,
            json,
        } => {
            let id = find(&collection)?.id;
            let added = app.add_to_collection(id, &ids, at.map(|p| p.saturating_sub(1)))?;
            let c = app.collection(id)?;
            let already = ids.len().saturating_sub(added);
            let text = format!(
                "Added {} to {} (now {}){}.",
                count(added, "badge", "badges"),
                c.name,
                c.count,
                if already > 0 {
                    format!("; {} already in it", count(already, "was", "were"))
                } else {
                    String::new()
                }
            );
            (json, collection_json(app, &c)?, text)
        }
        CollectionCommand::Remove {
            collection,
            ids,
            json,
        } => {
            let id = find(&collection)?.id;
            let n = app.remove_from_collection(id, &ids)?;
            let c = app.collection(id)?;
            let text = format!("Removed {} from {}.", count(n, "badge", "badges"), c.name);
            (json, collection_json(app, &c)?, text)
        }
        CollectionCommand::Move {
            collection,
            id,
            position,
            json,
        } => {
            let c = find(&collection)?;
            app.move_in_collection(c.id, id, position.saturating_sub(1))?;
            let text = format!("Moved badge {id} to position {position} in {}.", c.name);
            (json, collection_json(app, &c)?, text)
        }
        CollectionCommand::List { .. } | CollectionCommand::Show { .. } => {
            return Err(AppError::new(
                ErrorCode::Internal,
                "listing and showing change nothing",
            ))
        }
    })
}

/// `satchel collection list`.
fn list(app: &App, json: bool) -> Result<(), Failure> {
    let all = app.collections()?;
    if json {
        for c in &all {
            print_json(&collection_json(app, c)?);
        }
        return Ok(());
    }
    if all.is_empty() {
        say!("No collections yet. Create one with `satchel collection create NAME`.");
    }
    for c in &all {
        let description = if c.description.is_empty() {
            String::new()
        } else {
            format!(" — {}", clean(&c.description))
        };
        say!(
            "{:>4}  {}  ({}){description}",
            c.id,
            clean(&c.name),
            count(c.count as usize, "badge", "badges"),
        );
    }
    Ok(())
}

/// `satchel collection show`.
fn show(app: &App, collection: &str, json: bool) -> Result<Done, AppError> {
    let c = app.find_collection(collection)?;
    let badges = app.collection_badges(c.id)?;
    let mut v = serde_json::to_value(&c).unwrap_or(Value::Null);
    v["badges"] = serde_json::to_value(&badges).unwrap_or(Value::Null);
    let mut text = format!("{} ({})\n", clean(&c.name), c.id);
    if !c.description.is_empty() {
        text.push_str(&format!("{}\n", c.description));
    }
    for (i, b) in badges.iter().enumerate() {
        text.push_str(&format!(
            "{:>4}. badge {:<5} {:<15} {} — {}\n",
            i + 1,
            b.id,
            crate::common::status_label(&b.status),
            clean(b.name.as_deref().unwrap_or("Untitled badge")),
            clean(b.issuer_name.as_deref().unwrap_or("Unknown issuer"))
        ));
    }
    if badges.is_empty() {
        text.push_str("No badges yet. Add some with `satchel collection add`.\n");
    }
    Ok((json, v, text.trim_end().to_owned()))
}
