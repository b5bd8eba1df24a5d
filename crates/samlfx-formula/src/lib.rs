//! The Salesforce formula language, as a Connected App evaluates it into SAML attributes.
//!
//! The pipeline, one module per stage: source text → [`syntax`] (AST with byte spans) →
//! [`check`] (typed IR, names and types resolved against [`catalog`] and the declared
//! [`schema`]) → [`program`] (a compiled [`Program`]) → [`runtime`] (run against a
//! [`runtime::Context`], giving a [`Value`]). Every stage reports through
//! [`samlfx_diag::Diagnostic`]. Nothing here needs a system C library.
//!
//! ```
//! use samlfx_formula::runtime::{Context, ContextOptions};
//! use samlfx_formula::program::{CompileOptions, Program};
//!
//! let formula = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
//! let program = Program::compile(formula, &CompileOptions::default()).program.unwrap();
//! let mut ctx = Context::new(ContextOptions::default());
//! ctx.set("$User.Alias=jdoe").unwrap();
//! ctx.set("$User.Id=005xx000001AbCd").unwrap();
//! ctx.set("$Organization.Id=00Dxx0000001gEZ").unwrap();
//! let value = program.eval(&ctx).unwrap();
//! assert_eq!(value.to_output().as_deref(), Some("jdoe@005xx000001AbCd@00Dxx0000001gEZ"));
//! ```
#![forbid(unsafe_code)]

pub mod catalog;
pub mod check;
pub mod id;
pub mod input;
pub mod ir;
pub mod program;
pub mod runtime;
pub mod schema;
pub mod shape;
mod stack;
pub mod syntax;
pub mod types;
pub mod value;

pub use program::Program;
pub use types::Type;
pub use value::Value;
