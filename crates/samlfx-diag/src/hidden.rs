//! Characters that must not reach a terminal or a message raw (Trojan-source and invisible text).
//! One table, used by the lexer's messages and the renderers' snippets.

/// Characters that must not reach a terminal raw: C0/C1 controls except tab and newline, the
/// Unicode format characters (Cf: bidi controls, zero-width characters, BOM, tags) and the line and
/// paragraph separators (which terminals and ariadne would treat as line breaks).
pub fn is_hidden(c: char) -> bool {
    if c == '\t' || c == '\n' {
        return false;
    }
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}
