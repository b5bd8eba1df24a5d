//! Any input: compile it, check every span, and evaluate what compiles. Nothing may panic,
//! overflow the stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::program::{CompileOptions, Program};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let compiled = Program::compile(src, &CompileOptions::default());
    for d in &compiled.diagnostics {
        let spans = d.span.into_iter().chain(d.labels.iter().map(|l| l.span));
        for s in spans {
            assert!(s.start <= s.end && s.end <= src.len(), "span {s:?} outside the input");
            assert!(src.is_char_boundary(s.start) && src.is_char_boundary(s.end));
        }
    }
    if let Some(program) = compiled.program {
        let _ = program.eval(&Context::new(ContextOptions::default()));
    }
});
