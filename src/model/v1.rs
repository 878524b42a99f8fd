//! Open Badges v1 types.
