//! Criterion benchmarks of the SAML RoleSessionName formula: parse + check, evaluating a compiled
//! program, and the whole pipeline in one shot (targets: < 20 µs, < 150 ns, < 25 µs); the shape
//! analysis with AWS's static rules, and the rules on one value (what `audit` runs per user).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use samlfx_aws::profile::Profile;
use samlfx_aws::{attribute, formula, rules};
use samlfx_formula::check::{self, CheckOptions};
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::shape::ShapeOptions;
use samlfx_formula::syntax;

const SAML: &str = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";

fn context() -> Context {
    let mut ctx = Context::new(ContextOptions::default());
    for set in [
        "$User.Alias=jdoe",
        "$User.Id=005xx000001AbCd",
        "$Organization.Id=00Dxx0000001gEZ",
    ] {
        ctx.set(set).expect("a valid assignment");
    }
    ctx
}

fn benches(c: &mut Criterion) {
    let ctx = context();
    let opts = CompileOptions::default();
    let program = Program::compile(SAML, &opts)
        .program
        .expect("the SAML formula compiles");

    c.benchmark_group("parse_check")
        .bench_function("saml", |b| {
            b.iter(|| {
                let expr = syntax::parse(black_box(SAML)).expect("parses");
                check::check(&expr, &CheckOptions::default())
            })
        });
    c.benchmark_group("eval_compiled")
        .bench_function("saml", |b| b.iter(|| program.eval(black_box(&ctx))));
    c.benchmark_group("one_shot").bench_function("saml", |b| {
        b.iter(|| {
            let compiled = Program::compile(black_box(SAML), &opts);
            compiled.program.map(|p| p.eval(&ctx))
        })
    });
    let rsn = attribute::resolve("RoleSessionName").expect("a known attribute");
    c.benchmark_group("static_rules")
        .bench_function("saml", |b| {
            b.iter(|| {
                formula::check_formula(
                    &rsn,
                    black_box(&program),
                    Profile::AmazonConnect,
                    &ShapeOptions::default(),
                )
            })
        });
    c.benchmark_group("value_rules")
        .bench_function("saml", |b| {
            b.iter(|| {
                rules::check_value(
                    &rsn,
                    black_box("jdoe@005xx000001AbCd@00Dxx0000001gEZ"),
                    Profile::AmazonConnect,
                )
            })
        });
}

criterion_group!(formula, benches);
criterion_main!(formula);
