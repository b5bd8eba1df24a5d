//! samlfx: compile and validate the Salesforce formulas that a Connected App (or External Client
//! App) evaluates into SAML attributes, first of all for AWS and Amazon Connect.
//!
//! The pipeline, one module per stage:
//! source text → [`formula::syntax`] (AST with byte spans) → [`formula::check`] (typed IR, names
//! and types resolved against [`formula::catalog`]) → [`formula::program`] (a compiled
//! [`formula::Program`]) → [`formula::eval`] (run against a [`formula::eval::Context`], giving a
//! [`formula::Value`]). Every stage reports through [`diag::Diagnostic`], and [`cli`] is the
//! `samlfx` command line.
//!
//! ```
//! use samlfx::formula::eval::{Context, ContextOptions};
//! use samlfx::formula::program::{CompileOptions, Program};
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

pub mod cli;
pub mod diag;
pub mod formula;
