//! The Salesforce formula language: syntax, catalogs, type checking, compilation and evaluation.

pub mod catalog;
pub mod check;
pub mod eval;
pub mod id;
pub mod ir;
pub mod program;
pub mod schema;
mod stack;
pub mod syntax;
pub mod types;
pub mod value;

pub use program::Program;
pub use types::Type;
pub use value::Value;
