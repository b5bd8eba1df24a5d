//! The two catalogs every stage reads: functions and merge fields. Each is one table.

pub mod fields;
pub mod functions;

pub use fields::{FieldId, FieldSpec, Global};
pub use functions::{Arity, Category, Func, FunctionSpec, Param, Ret, Yields};
