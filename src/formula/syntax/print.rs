//! The pretty-printer: an AST back to formula text that parses to the same AST.
