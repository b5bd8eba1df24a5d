//! An attribute's rules applied to its formula before any user exists: the findings `check`
//! and `eval --attribute` report at the formula's own bytes.
//!
//! A formula that folds to a constant is checked as a value, and each finding is moved through
//! the constant's [`SourceMap`](samlfx_diag::SourceMap) to the bytes of the literals it came from, so an ARN typed in a
//! Role formula gets its ARN diagnostic inside that literal. Any other Text formula is checked
//! by its [shape](samlfx_formula::shape): errors when every value breaks a rule, warnings when
//! some may, silence when nothing is provable.

use samlfx_diag::Diagnostic;
use samlfx_formula::Program;
use samlfx_formula::shape::ShapeOptions;

use crate::attribute::Attribute;
use crate::profile::Profile;
use crate::{rules, shape_check};

/// The static findings of `attr`'s rules on `program`, with spans into the formula.
pub fn check_formula(
    attr: &Attribute,
    program: &Program,
    profile: Profile,
    opts: &ShapeOptions<'_>,
) -> Vec<Diagnostic> {
    if !profile.aws_rules() {
        return Vec::new();
    }
    if let Some((text, map)) = program.constant_text() {
        return rules::check_value(attr, text, profile)
            .into_iter()
            .map(|d| d.through(map))
            .collect();
    }
    let (Some(rule), Some(shape)) = (rules::text_rule(attr, profile), program.text_shape(opts))
    else {
        return Vec::new();
    };
    // A finding no part of the formula is responsible for is about the whole value.
    shape_check::check_shape(&attr.short_name(), &rule, &shape)
        .into_iter()
        .map(|d| match d.span {
            Some(_) => d,
            None => d.at_labelled(program.span(), "the whole value"),
        })
        .collect()
}
