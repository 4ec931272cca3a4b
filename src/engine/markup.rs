//! Text written into markup: the chart tooltips (HTML, which ECharts sets as `innerHTML`), the
//! downloaded map (SVG, an XML document) and the Excel workbooks we write (XML).
//!
//! Why one function for the three: a dataset's names and titles come from whoever wrote the file,
//! so each of these is a place where `<script>` or a stray control character could become markup
//! or an unreadable document. Escaping for XML 1.0 is also correct for HTML, so one careful
//! escaper serves all three, and a fix to it reaches every place at once.

/// `text` safe inside an element or a double- or single-quoted attribute of HTML, SVG or XML: the
/// five special characters escaped, and the characters XML 1.0 cannot hold (controls other than
/// tab and line breaks, U+FFFE and U+FFFF) dropped, so a downloaded map or workbook always opens.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_characters_become_text_and_xml_illegal_ones_are_dropped() {
        assert_eq!(escape("<script>&\""), "&lt;script&gt;&amp;&quot;");
        assert_eq!(escape("a<b & \"c\" 'd'>\u{1}\te"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\te");
        assert_eq!(escape("dòng 1\r\ndòng 2\u{FFFE}\u{FFFF}"), "dòng 1\r\ndòng 2");
        // Vietnamese letters and other text pass through unchanged.
        assert_eq!(escape("Hợp tác xã Tày Nùng — 38,3%"), "Hợp tác xã Tày Nùng — 38,3%");
    }
}
