//! An attribute's rules applied to its formula before any user exists: the findings `check`
//! and `eval --attribute` report at the formula's own bytes.
//!
//! A formula that folds to a constant is checked as a value, and each finding is moved through
//! the constant's [`SourceMap`] to the bytes of the literals it came from, so an ARN typed in a
//! Role formula gets its ARN diagnostic inside that literal. Any other Text formula is checked
//! by its [shape](samlfx_formula::shape): errors when every value breaks a rule, warnings when
//! some may, silence when nothing is provable.

use samlfx_diag::{Diagnostic, SourceMap};
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
            .map(|d| through(d, map))
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

/// A diagnostic about a decoded text moved to the source that text was decoded from. Text a
/// folded function made itself maps to that whole call, so labels that land on one span are
/// merged into one, each message said once.
pub fn through(mut d: Diagnostic, map: &SourceMap) -> Diagnostic {
    d.span = d.span.map(|s| map.span(s.start..s.end));
    let mut merged: Vec<samlfx_diag::Label> = Vec::new();
    for mut l in std::mem::take(&mut d.labels) {
        l.span = map.span(l.span.start..l.span.end);
        if d.span == Some(l.span) {
            let said = d.span_label.get_or_insert_with(String::new);
            if !said.split("; ").any(|x| x == l.message) {
                if !said.is_empty() {
                    said.push_str("; ");
                }
                said.push_str(&l.message);
            }
            continue;
        }
        match merged.iter_mut().find(|m| m.span == l.span) {
            Some(m) if m.message.split("; ").any(|x| x == l.message) => {}
            Some(m) => {
                m.message.push_str("; ");
                m.message.push_str(&l.message);
            }
            None => merged.push(l),
        }
    }
    d.labels = merged;
    d
}
