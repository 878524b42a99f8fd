//! Satchel's integration tests: one test binary, one module per area.

mod support;

mod cli;
mod corpus;
mod detect;
mod hostile;
mod model;
mod png;
mod svg;
mod tidy;
