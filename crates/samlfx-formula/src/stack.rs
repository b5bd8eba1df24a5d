//! Stack growth for the stages that recurse over a formula's tree.
//!
//! Every formula within Salesforce's 3,900 characters is accepted, so a tree may nest a few
//! thousand levels (`-----…1`, `F(F(…))`). The parser, checker, compiler, evaluator, printer,
//! tree walkers and `Drop` recurse once per level; each recursive step goes through [`guarded`],
//! which moves onto a fresh heap-allocated stack segment when less than [`RED_ZONE`] is left.
//! Any depth the parser accepts therefore runs on any thread, even a small one in a debug
//! build; the parser's bounds ([`ParseLimits`](super::syntax::ParseLimits)) keep time and memory
//! linear, not the stack.

/// Stack that must be left before a step recurses: far more than one step of any stage uses
/// between two guarded calls, even unoptimised.
pub(crate) const RED_ZONE: usize = 128 * 1024;

/// Size of each new stack segment: a few thousand levels in a debug build.
pub(crate) const SEGMENT: usize = 2 * 1024 * 1024;

/// Runs `f`, first moving to a new stack segment if this one is nearly used up.
#[inline]
pub(crate) fn guarded<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// [`guarded`] for a step that recurses only when `recurses` holds: leaves, the most common
/// nodes, skip the check.
#[inline]
pub(crate) fn guarded_if<R>(recurses: bool, f: impl FnOnce() -> R) -> R {
    if recurses { guarded(f) } else { f() }
}
