//! A notice as a Word file in 公文 style (GB/T 9704 proportions): A4 with
//! 37/35/28/26 mm margins; the agency and the title in 方正小标宋简体 二号,
//! bold and centred; the 文号 centred under them; body in 仿宋_GB2312 三号
//! with a two-character first-line indent and exact 28pt lines; the
//! signature block over the date, the date four characters from the right
//! margin; page numbers "— 1 —" in the footer.
//!
//! A DOCX only names its fonts (`w:eastAsia` for Chinese, Times New Roman
//! for Latin and digits); Word substitutes them when the reader's computer
//! lacks them, which is right for the proprietary 公文 fonts we cannot ship.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run,
    RunFonts, SpecialIndentType,
};
use gongkai_core::request::notice::Notice;
use std::io::Cursor;

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const LATIN_FONT: &str = "Times New Roman";
/// Sizes in half-points: 二号 22pt, 三号 16pt, 四号 14pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const PAGE_NUMBER_SIZE: usize = 28;
/// Exact line pitch in twips (28pt).
const LINE: i32 = 560;
/// One 三号 character in twips.
const CHAR: i32 = 320;
/// A4 in twips and the margins (mm × 56.7).
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
const MARGIN_TOP: i32 = 2_098;
const MARGIN_BOTTOM: i32 = 1_984;
const MARGIN_LEFT: i32 = 1_588;
const MARGIN_RIGHT: i32 = 1_474;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Writing the zip container failed (in memory, so only on a bug).
    #[error("生成 DOCX 文件失败：{0}")]
    Docx(String),
}

/// `notice` as the bytes of a `.docx` file.
pub fn render_docx(notice: &Notice) -> Result<Vec<u8>, RenderError> {
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT),
        )
        .default_fonts(body_fonts())
        .default_size(BODY_SIZE)
        .footer(page_number_footer())
        .add_paragraph(title_line(&notice.agency))
        .add_paragraph(title_line(notice.title()));
    if let Some(n) = &notice.doc_number {
        doc = doc.add_paragraph(body_line(n).align(AlignmentType::Center));
    }
    doc = doc
        .add_paragraph(body_line(""))
        .add_paragraph(body_line(&format!("{}：", notice.addressee)));
    for p in &notice.paragraphs {
        doc = doc.add_paragraph(body_line(&p.text).align(AlignmentType::Both).indent(
            None,
            Some(first_line()),
            None,
            None,
        ));
    }
    for (i, a) in notice.numbered_attachments().iter().enumerate() {
        if i == 0 {
            doc = doc.add_paragraph(body_line("")).add_paragraph(
                body_line(&format!("附件：{a}")).indent(None, Some(first_line()), None, None),
            );
        } else {
            // Aligned under the first title, after "附件：".
            doc = doc.add_paragraph(body_line(a).indent(Some(5 * CHAR), None, None, None));
        }
    }
    let date = notice.date_text();
    let (agency_end, date_end) = signature_offsets(&notice.agency, &date);
    doc = doc
        .add_paragraph(body_line(""))
        .add_paragraph(body_line(""))
        .add_paragraph(
            body_line(&notice.agency)
                .align(AlignmentType::Right)
                .indent(None, None, Some(agency_end), None),
        )
        .add_paragraph(body_line(&date).align(AlignmentType::Right).indent(
            None,
            None,
            Some(date_end),
            None,
        ));
    let mut buf = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

/// The two-character first-line indent of body paragraphs.
fn first_line() -> SpecialIndentType {
    SpecialIndentType::FirstLine(2 * CHAR)
}

fn body_fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(BODY_FONT)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
}

fn title_line(text: &str) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(
        Run::new()
            .add_text(text)
            .fonts(
                RunFonts::new()
                    .east_asia(TITLE_FONT)
                    .ascii(LATIN_FONT)
                    .hi_ansi(LATIN_FONT),
            )
            .size(TITLE_SIZE)
            .bold(),
    )
}

fn body_line(text: &str) -> Paragraph {
    let p = Paragraph::new().line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(LINE),
    );
    if text.is_empty() {
        return p;
    }
    p.add_run(
        Run::new()
            .add_text(text)
            .fonts(body_fonts())
            .size(BODY_SIZE),
    )
}

fn page_number_footer() -> Footer {
    let dash = |t: &str| Run::new().add_text(t).size(PAGE_NUMBER_SIZE);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(dash("— "))
            .add_page_num(PageNum::new())
            .add_run(dash(" —")),
    )
}

/// Right indents (twips) of the agency line and the date: the date stands
/// four characters from the right margin and the agency is centred over
/// it; an agency name longer than the date stands two characters from the
/// margin and the date is centred under it.
fn signature_offsets(agency: &str, date: &str) -> (i32, i32) {
    let (a, d) = (half_widths(agency), half_widths(date));
    let half = CHAR / 2;
    if a <= d {
        (4 * CHAR + (d - a) / 2 * half, 4 * CHAR)
    } else {
        (2 * CHAR, 2 * CHAR + (a - d) / 2 * half)
    }
}

/// Width in half characters: ASCII is half width, the rest full width.
fn half_widths(s: &str) -> i32 {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_stands_four_characters_in_and_the_agency_centres_on_it() {
        // "2026年3月20日": 7 half-width digits + 3 full-width = 13 half widths.
        assert_eq!(half_widths("2026年3月20日"), 13);
        // 青岚市教育局 = 12 half widths: centred, half a half-width right of the date's start.
        assert_eq!(
            signature_offsets("青岚市教育局", "2026年3月20日"),
            (4 * CHAR, 4 * CHAR)
        );
        assert_eq!(
            signature_offsets("青岚市人民政府办公室", "2026年3月20日"),
            (2 * CHAR, 2 * CHAR + 3 * (CHAR / 2))
        );
        assert_eq!(
            signature_offsets("青岚市局", "2026年3月20日"),
            (4 * CHAR + 2 * (CHAR / 2), 4 * CHAR)
        );
    }
}
