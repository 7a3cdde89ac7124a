//! Input limits checked before any parsing. Hostile or broken inputs
//! (multi-megabyte pages, tags nested tens of thousands deep) made the HTML
//! parser and the label matcher run for tens of seconds; a published annual
//! report is a few hundred kilobytes at most, so larger inputs are refused
//! with a finding instead of being parsed.

/// Largest input file accepted (raw bytes; for DOCX, also the extracted
/// `word/document.xml`, whose markup is verbose, see [`MAX_DOCX_XML_BYTES`]).
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// Largest `word/document.xml` accepted after decompression.
pub const MAX_DOCX_XML_BYTES: usize = 16 * 1024 * 1024;

/// Most lines of text (after HTML/DOCX rendering) accepted: matching is
/// linear in the number of lines but with a large constant; real reports
/// have a few thousand.
pub const MAX_LINES: usize = 50_000;

/// Deepest tag nesting accepted, as estimated by [`nesting_depth`]. Real
/// report pages nest a few dozen levels.
pub const MAX_NESTING: usize = 512;

/// Elements that never have content, and elements the HTML parser closes
/// implicitly when a sibling opens (`<p>a<p>b` is not nested): neither
/// adds to the nesting depth.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option",
];

/// Cheap single-pass estimate of the deepest tag nesting of an HTML (or
/// XML) text: opening tags increase, closing tags decrease the depth;
/// self-closing and [`FLAT`] tags and `<!…>` / `<?…>` markup are ignored
/// (tags inside comments are counted: an overestimate at worst).
/// Stops early once `limit` is exceeded.
pub fn nesting_depth(src: &str, limit: usize) -> usize {
    let b = src.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = b.get(i..).and_then(|r| r.iter().position(|c| *c == b'<')) {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_len = b
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b':' | b'-' | b'_'))
            .count();
        let Some(name) = b.get(name_start..name_start + name_len) else {
            continue;
        };
        if name.first().is_none_or(|c| !c.is_ascii_alphabetic()) {
            continue; // `<!--`, `<!DOCTYPE`, `<?xml`, or a stray `<`
        }
        let lower = name.to_ascii_lowercase();
        if FLAT.iter().any(|f| f.as_bytes() == lower.as_slice()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let end = b
            .get(name_start..)
            .and_then(|r| r.iter().position(|c| *c == b'>'))
            .map(|p| name_start + p);
        if end.is_some_and(|e| e > 0 && b.get(e - 1) == Some(&b'/')) {
            continue; // `<br/>`, `<w:tab/>`
        }
        depth += 1;
        max = max.max(depth);
        if max > limit {
            break;
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_real_nesting_only() {
        assert_eq!(nesting_depth("<div><span>a</span><b>c</b></div>", 99), 2);
        assert_eq!(nesting_depth("<p>a<p>b<p>c<br><img src=x>", 99), 0);
        assert_eq!(nesting_depth("<!-- <div> --><?xml?><w:t/>a < b", 99), 1);
        assert_eq!(nesting_depth(&"<div>".repeat(10_000), 600), 601);
    }
}
