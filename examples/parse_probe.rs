fn main() {
    for src in std::env::args().skip(1) {
        match samlfx::formula::syntax::parse(&src) {
            Ok(e) => println!("OK {}", samlfx::formula::syntax::print(&e)),
            Err(d) => {
                for d in d {
                    println!(
                        "{:?} {:?} {:?} span={:?} {:?} labels={:?} help={:?} note={:?}",
                        d.code,
                        d.message,
                        d.span.map(|s| &src[s.start..s.end]),
                        d.span,
                        d.span_label,
                        d.labels,
                        d.help,
                        d.note
                    )
                }
            }
        }
    }
}
