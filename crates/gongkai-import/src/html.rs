//! HTML → lines of text. Tables are expanded into a grid (rowspan/colspan)
//! and rendered as `a | b | c` rows, so the table parsers see one rendering.
//! Each character keeps a span into the HTML source: text nodes are located
//! in the source in document order (entities that cannot be located get a
//! zero-width span at the current position).

use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::text::NChar;

/// Largest rowspan/colspan honoured; protects against hostile attributes.
const MAX_SPAN: usize = 64;
/// Deepest element nesting walked recursively.
const MAX_DEPTH: usize = 128;

/// Heuristic: does the decoded input look like an HTML document?
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<html",
        "<!doctype html",
        "<table",
        "<body",
        "<p>",
        "<div",
        "<td",
    ]
    .iter()
    .any(|m| head.contains(m))
}

pub fn html_chars(src: &str) -> Vec<NChar> {
    html_chars_in(src, src, false)
}

/// Reads the structure from `html` but locates text in `src` (for DOCX,
/// `src` is `word/document.xml` and text runs are found between its tags).
pub fn html_chars_in(html: &str, src: &str, xml_source: bool) -> Vec<NChar> {
    let doc = Html::parse_document(html);
    let mut w = Walker {
        src,
        cursor: 0,
        out: Vec::new(),
        in_cell: false,
        xml_source,
    };
    w.walk(doc.tree.root(), 0);
    w.out
}

struct Walker<'a> {
    src: &'a str,
    cursor: usize,
    out: Vec<NChar>,
    in_cell: bool,
    xml_source: bool,
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "ul",
    "ol",
    "dd",
    "dt",
    "dl",
    "header",
    "footer",
    "nav",
    "form",
    "blockquote",
    "pre",
    "title",
    "tr",
    "caption",
    "center",
];

impl Walker<'_> {
    fn synthetic(&mut self, c: char) {
        let c = if self.in_cell && c == '\n' { ' ' } else { c };
        self.out.push(NChar {
            c,
            start: self.cursor,
            end: self.cursor,
        });
    }

    fn text(&mut self, t: &str) {
        for c in t.chars() {
            let c2 = if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            };
            // Look for the character a little ahead of the cursor: entities
            // such as `&nbsp;` occupy up to ~10 source bytes.
            let found = if self.xml_source {
                self.find_outside_tags(c)
            } else {
                let window_end = (self.cursor + 12 + c.len_utf8()).min(self.src.len());
                self.src
                    .get(self.cursor..window_end)
                    .and_then(|w| w.find(c))
                    .map(|p| self.cursor + p)
            };
            match found {
                Some(p) => {
                    self.out.push(NChar {
                        c: c2,
                        start: p,
                        end: p + c.len_utf8(),
                    });
                    self.cursor = p + c.len_utf8();
                }
                None => self.synthetic(c2),
            }
        }
    }

    /// Next occurrence of `c` in element content (not inside a tag) within
    /// a bounded distance of the cursor.
    fn find_outside_tags(&self, c: char) -> Option<usize> {
        let rest = self.src.get(self.cursor..)?;
        let mut in_tag = false;
        for (i, x) in rest.char_indices() {
            if i > 16_384 {
                return None;
            }
            match x {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag && x == c => return Some(self.cursor + i),
                _ => {}
            }
        }
        None
    }

    /// Moves the cursor past the opening tag of an element so that text
    /// search does not match attribute values.
    fn skip_tag(&mut self, name: &str) {
        if self.xml_source {
            return;
        }
        let rest = self.src.get(self.cursor..).unwrap_or_default();
        let lower_pat = format!("<{name}");
        if let Some(p) = find_ci(rest, &lower_pat)
            && let Some(q) = rest.get(p..).and_then(|r| r.find('>'))
        {
            self.cursor += p + q + 1;
        }
    }

    fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        // Hostile nesting must not exhaust the stack: below a fixed depth
        // the remaining text is read iteratively, without structure.
        if depth > MAX_DEPTH {
            for d in node.descendants() {
                if let Node::Text(t) = d.value() {
                    self.text(t);
                }
            }
            return;
        }
        match node.value() {
            Node::Text(t) => self.text(t),
            Node::Element(el) => {
                let name = el.name();
                if matches!(name, "script" | "style" | "noscript" | "template") {
                    self.skip_element(name);
                    return;
                }
                if name == "br" {
                    self.synthetic('\n');
                    return;
                }
                if name == "table" && !self.in_cell {
                    self.skip_tag(name);
                    self.table(node, depth);
                    return;
                }
                self.skip_tag(name);
                let block = BLOCKS.contains(&name) || name == "table";
                if block {
                    self.synthetic('\n');
                }
                for ch in node.children() {
                    self.walk(ch, depth + 1);
                }
                if block {
                    self.synthetic('\n');
                }
            }
            _ => {
                for ch in node.children() {
                    self.walk(ch, depth + 1);
                }
            }
        }
    }

    fn skip_element(&mut self, name: &str) {
        if self.xml_source {
            return;
        }
        let rest = self.src.get(self.cursor..).unwrap_or_default();
        let close = format!("</{name}");
        if let Some(p) = find_ci(rest, &close) {
            self.cursor += p;
        }
    }

    fn table(&mut self, table: NodeRef<'_, Node>, depth: usize) {
        let mut rows = Vec::new();
        collect_rows(table, &mut rows, 0);
        // grid[r][c] = Some((cell index, is_colspan_copy))
        let mut grid: Vec<Vec<Option<(usize, bool)>>> = vec![Vec::new(); rows.len()];
        let mut cells: Vec<Vec<NChar>> = Vec::new();
        for (r, tr) in rows.iter().enumerate() {
            let mut col = 0;
            for cell in tr.children() {
                let Node::Element(el) = cell.value() else {
                    continue;
                };
                if !matches!(el.name(), "td" | "th") {
                    continue;
                }
                let span = |a: &str| {
                    el.attr(a)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_SPAN)
                };
                let (rs, cs) = (span("rowspan"), span("colspan"));
                let idx = cells.len();
                cells.push(self.cell_text(cell, el.name(), depth));
                while grid
                    .get(r)
                    .and_then(|row| row.get(col))
                    .is_some_and(Option::is_some)
                {
                    col += 1;
                }
                for dr in 0..rs {
                    let Some(row) = grid.get_mut(r + dr) else {
                        break;
                    };
                    for dc in 0..cs {
                        let c = col + dc;
                        if row.len() <= c {
                            row.resize(c + 1, None);
                        }
                        if let Some(slot) = row.get_mut(c) {
                            *slot = Some((idx, dc > 0));
                        }
                    }
                }
                col += cs;
            }
        }
        self.synthetic('\n');
        for row in &grid {
            let mut first = true;
            for (idx, colspan_copy) in row.iter().flatten() {
                if *colspan_copy {
                    continue;
                }
                if !first {
                    self.synthetic('|');
                }
                first = false;
                if let Some(chars) = cells.get(*idx) {
                    self.out.extend_from_slice(chars);
                }
            }
            // A closing pipe keeps a blank last cell visible as a cell.
            if !first {
                self.synthetic('|');
            }
            self.synthetic('\n');
        }
    }

    fn cell_text(&mut self, cell: NodeRef<'_, Node>, name: &str, depth: usize) -> Vec<NChar> {
        self.skip_tag(name);
        let saved = std::mem::take(&mut self.out);
        let was = self.in_cell;
        self.in_cell = true;
        for ch in cell.children() {
            self.walk(ch, depth + 2);
        }
        self.in_cell = was;
        let mut text = std::mem::replace(&mut self.out, saved);
        // A literal pipe inside a cell would split it; fold it.
        for c in &mut text {
            if c.c == '|' || c.c == '\n' {
                c.c = ' ';
            }
        }
        text
    }
}

fn collect_rows<'a>(node: NodeRef<'a, Node>, rows: &mut Vec<NodeRef<'a, Node>>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for ch in node.children() {
        if let Node::Element(el) = ch.value() {
            match el.name() {
                "tr" => rows.push(ch),
                "table" => {}
                _ => collect_rows(ch, rows, depth + 1),
            }
        }
    }
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| {
        h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(src: &str) -> String {
        html_chars(src).iter().map(|n| n.c).collect()
    }

    #[test]
    fn expands_rowspan_and_colspan() {
        let src = "<table><tr><td rowspan=2>甲</td><td colspan=2>乙</td></tr>\
                   <tr><td>1</td><td>2</td></tr></table>";
        let out = render(src);
        let rows: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(rows, vec!["甲|乙|", "甲|1|2|"]);
    }

    #[test]
    fn deep_nesting_does_not_exhaust_the_stack() {
        let src = format!(
            "<html><body>{}深{}</body></html>",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        let out = render(&src);
        assert!(out.contains('深'));
    }

    #[test]
    fn spans_locate_cell_text_in_source() {
        let src = "<p>标题</p><table><tr><td class=\"x1\">1</td><td>&nbsp;15</td></tr></table>";
        let chars = html_chars(src);
        let five = chars.iter().rfind(|n| n.c == '5').expect("digit");
        assert_eq!(src.get(five.start..five.end), Some("5"));
        let one = chars.iter().find(|n| n.c == '1').expect("digit");
        assert_eq!(src.get(one.start..one.end + 5), Some("1</td>"));
    }
}
