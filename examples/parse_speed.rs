//! Times parsing the common SAML attribute formula (run with --release).
use std::time::Instant;
fn main() {
    let src = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
    let n = 200_000;
    let t = Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += samlfx::formula::syntax::parse(std::hint::black_box(src))
            .unwrap()
            .span
            .end;
    }
    println!("{:?} per parse ({total})", t.elapsed() / n);
}
