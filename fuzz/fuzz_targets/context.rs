//! Any bytes as a `--context` file (samlfx's own JSON, or a record as `sf data query --json`
//! prints it): nothing may panic, every diagnostic's span lies inside the text on char
//! boundaries, and what loads evaluates the Service Cloud Voice RoleSessionName.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::{Context, ContextOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Context::from_json(text, ContextOptions::default()) {
        Ok(ctx) => {
            let formula = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
            if let Some(p) = Program::compile(formula, &CompileOptions::default()).program {
                let _ = p.eval(&ctx);
            }
        }
        Err(diags) => {
            for d in &diags {
                for s in d.span.into_iter().chain(d.labels.iter().map(|l| l.span)) {
                    assert!(s.start <= s.end && s.end <= text.len(), "span {s:?} outside");
                    assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                }
            }
        }
    }
});
