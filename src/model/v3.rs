//! Open Badges v3 types.
