//! Open Badges v0 types.
