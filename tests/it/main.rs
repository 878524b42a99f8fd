//! Satchel's integration tests: one test binary, one module per area.

mod server;
mod support;

mod app;
mod backpack;
mod backpack_cli;
mod cli;
mod corpus;
mod corpus_verify;
mod detect;
mod duplicates;
mod export;
mod fetch;
mod hostile;
mod interop;
mod issuer;
mod issuer_bulk;
mod issuer_classes;
mod issuer_delivery;
mod issuer_mail_tls;
mod issuer_parts;
mod issuer_screens;
mod issuer_settings;
mod key_binding;
mod model;
mod ob2;
mod ob3;
mod png;
mod read_path;
mod samples;
mod store;
mod svg;
mod tidy;
mod verify_cli;
