//! Open Badges v2 types.
