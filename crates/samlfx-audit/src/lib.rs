//! `samlfx audit`'s engine: reads a Salesforce user export as a stream (Bulk API 2.0 CSV or
//! `sf data query --json`, gzip or not), evaluates an app's attribute formulas for every user,
//! runs AWS's rules on each value and finds RoleSessionName values two users share.
//!
//! Memory is bounded by the batch size and the number of threads, not by the number of users,
//! apart from the collision index: 16 bytes per user with a RoleSessionName. Standard input,
//! which cannot be read twice, is copied to a temporary file for the collision check's second
//! read.
#![forbid(unsafe_code)]
// A file-level error is one Diagnostic, returned at most once per run: not a hot path.
#![allow(clippy::result_large_err)]

mod blocks;
pub mod collisions;
pub mod columns;
pub mod engine;
pub mod input;
pub mod query;
pub mod rows;

pub use engine::{Audit, AuditOptions, Finding, Outcome, Totals};
pub use input::{Format, open};
