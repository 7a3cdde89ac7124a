//! Applying the proposed masks (one-click masking in the review screen).
//!
//! Masking works on the text the finding came from. If the text changed
//! since the scan, the finding's span may point elsewhere: such a finding
//! is *stale* and is never applied — rescan instead.

use std::fmt;

use super::{Finding, FindingKind};

/// Why a finding could not be masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskError {
    /// Markings and unreadable attachments are not masked: a reviewer must
    /// remove the marking or look at the file.
    NotMaskable(FindingKind),
    /// The text no longer holds the matched text at the finding's span.
    Stale,
}

impl fmt::Display for MaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotMaskable(FindingKind::Marking) => {
                f.write_str("密级标志不能遮盖：请核实后删除该标志，或说明理由放行")
            }
            Self::NotMaskable(k) => write!(f, "「{}」不能遮盖，须由审查人人工处理", k.label()),
            Self::Stale => f.write_str("内容已修改，这条检查结果已过期，请重新检查后再遮盖"),
        }
    }
}

impl std::error::Error for MaskError {}

fn fresh(text: &str, f: &Finding) -> bool {
    text.get(f.span.clone()) == Some(f.matched.as_str())
}

/// `text` with one finding replaced by its masked form.
pub fn mask(text: &str, finding: &Finding) -> Result<String, MaskError> {
    let Some(replacement) = &finding.replacement else {
        return Err(MaskError::NotMaskable(finding.kind));
    };
    if !fresh(text, finding) {
        return Err(MaskError::Stale);
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..finding.span.start).unwrap_or_default());
    out.push_str(replacement);
    out.push_str(text.get(finding.span.end..).unwrap_or_default());
    Ok(out)
}

/// `text` with every maskable, fresh finding among `findings` replaced;
/// markings, stale findings and findings overlapping an applied one are
/// left alone. Pass the findings of this field only.
pub fn mask_all<'a>(text: &str, findings: impl IntoIterator<Item = &'a Finding>) -> String {
    let mut todo: Vec<&Finding> = findings
        .into_iter()
        .filter(|f| f.maskable() && fresh(text, f))
        .collect();
    todo.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in todo {
        if f.span.start < at {
            continue;
        }
        out.push_str(text.get(at..f.span.start).unwrap_or_default());
        out.push_str(f.replacement.as_deref().unwrap_or_default());
        at = f.span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}
