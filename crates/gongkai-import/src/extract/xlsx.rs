//! XLSX text through calamine: every sheet (hidden ones too — they are in
//! the published file), each prefixed by a `工作表「名称」` line, one line per
//! row with cells separated by tabs, cached formula results included.
//!
//! Excel keeps at most 15 significant digits of a number, so an ID or card
//! number typed into a number-formatted cell has already lost its last
//! digits and can no longer be recognised; such cells (16 or more digits)
//! make the result [`Status::Partial`] so that a person checks them.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::sniff::zip_entries;
use super::{MAX_CELLS, Read, Status, tidy};

pub(crate) fn read(bytes: &[u8]) -> Result<Read, Status> {
    let entries = zip_entries(bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| Status::Failed {
        reason: format!("XLSX 文件无法读取（{e}）"),
    })?;
    let mut text = String::new();
    let mut cells = 0usize;
    let mut lost: Vec<String> = Vec::new();
    let mut truncated = false;
    'sheets: for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| Status::Failed {
            reason: format!("工作表「{name}」无法读取（{e}）"),
        })?;
        text.push_str(&format!("工作表「{name}」\n"));
        let first_row = range.start().map_or(0, |(r, _)| r);
        for (i, row) in range.rows().enumerate() {
            let mut line: Vec<String> = Vec::new();
            for cell in row {
                cells += 1;
                if cells > MAX_CELLS {
                    truncated = true;
                    break 'sheets;
                }
                if let Data::Float(v) = cell
                    && v.abs() >= 1e15
                    && lost.len() < 20
                {
                    lost.push(format!("「{name}」第 {} 行", first_row as usize + i + 1));
                }
                line.push(cell.to_string());
            }
            while line.last().is_some_and(String::is_empty) {
                line.pop();
            }
            text.push_str(&line.join("\t"));
            text.push('\n');
        }
    }
    let images = entries
        .iter()
        .filter(|(n, _)| n.starts_with("xl/media/"))
        .count();
    let mut notes = Vec::new();
    if images > 0 {
        notes.push(format!("表格内含 {images} 个图片，图片中的文字未检查"));
    }
    let has_cells = text
        .lines()
        .any(|l| !l.starts_with("工作表「") && !l.trim().is_empty());
    let status = if truncated {
        Status::Partial {
            detail: format!("单元格超过 {MAX_CELLS} 个，其后的内容未检查"),
        }
    } else if !lost.is_empty() {
        Status::Partial {
            detail: format!(
                "{}有 16 位以上的数字按数值格式保存，末尾数字已丢失（可能是身份证号或银行卡号），须人工核对",
                lost.join("、")
            ),
        }
    } else if !has_cells && images > 0 {
        Status::NoText {
            detail: format!("表格没有文字，只有 {images} 个图片，须人工查看"),
        }
    } else {
        Status::Extracted
    };
    Ok(Read {
        text: tidy(&text),
        status,
        notes,
    })
}
