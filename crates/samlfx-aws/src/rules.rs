//! The attribute rule pack: checks on one attribute value, and on a whole set of attributes.
