//! Property tests: the importer never panics, and a known table rendered
//! in each rendering parses back to the same values.

use gongkai_import::{Format, canon, import};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let r = import(&bytes, "x");
        for c in &r.cells {
            prop_assert!(c.span[0] <= c.span[1]);
        }
    }

    #[test]
    fn never_panics_on_table_like_text(s in "[一二三四五六七八九十()（）、.:|0-9 \n\t件人次万元其中行政复议诉讼申请公开数总计<>tdrowspan=\"&;-—]{0,800}") {
        let r = import(s.as_bytes(), "x");
        let decoded = s.as_str();
        for c in &r.cells {
            prop_assert!(decoded.get(c.span[0]..c.span[1]).is_some(), "span {:?} not on a char boundary", c.span);
        }
    }

    #[test]
    fn t3_t4_round_trip(vals in proptest::collection::vec(0u32..500, 25 * 7 + 15), rendering in 0usize..3) {
        let text = render(&vals, rendering);
        let r = import(text.as_bytes(), "rt");
        prop_assert_eq!(r.format, Format::F2021, "evidence {:?}", r.evidence);
        for (ri, (row, _)) in canon::T3_ROWS_2021.iter().enumerate() {
            for (ci, (col, _)) in canon::T3_COLS.iter().enumerate() {
                let got = r.cells.iter().find(|c| c.table == "t3" && c.row.as_deref() == Some(*row) && c.col == *col).and_then(|c| c.value);
                prop_assert_eq!(got, vals.get(ri * 7 + ci).map(|v| f64::from(*v)), "t3 {} {}", row, col);
            }
        }
        let t4: Vec<Option<f64>> = r.cells.iter().filter(|c| c.table == "t4").map(|c| c.value).collect();
        let want: Vec<Option<f64>> = vals.iter().skip(175).map(|v| Some(f64::from(*v))).collect();
        prop_assert_eq!(t4, want);
    }
}

/// Splits an official label into its printed levels (e.g. "（三）不予公开",
/// "1.属于国家秘密").
fn levels(label: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let cs: Vec<char> = label.chars().collect();
    for (i, c) in cs.iter().enumerate() {
        let next_digit_dot = c.is_ascii_digit() && cs.get(i + 1) == Some(&'.');
        if (*c == '（' && cs.get(i + 2) == Some(&'）') || next_digit_dot) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(*c);
    }
    out.push(cur);
    out
}

fn render(vals: &[u32], rendering: usize) -> String {
    let v = |i: usize| vals.get(i).copied().unwrap_or(0).to_string();
    let mut s = String::from(
        "青岚市某局2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n",
    );
    match rendering {
        0 => {
            for (ri, (_, label)) in canon::T3_ROWS_2021.iter().enumerate() {
                let cells: Vec<String> = (0..7).map(|c| v(ri * 7 + c)).collect();
                s += &format!("{} | {}\n", levels(label).join(" | "), cells.join(" | "));
            }
            s += "四、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n";
            s += &((175..190).map(v).collect::<Vec<_>>().join(" | "));
            s += "\n";
        }
        1 => {
            for (ri, (_, label)) in canon::T3_ROWS_2021.iter().enumerate() {
                for l in levels(label) {
                    s += &format!("{l}\n\n");
                }
                for c in 0..7 {
                    s += &format!("{}\n\n", v(ri * 7 + c));
                }
            }
            s += "四、政府信息公开行政复议、行政诉讼情况\n\n行政复议\n\n行政诉讼\n\n结果维持\n\n结果纠正\n\n其他结果\n\n尚未审结\n\n总计\n\n";
            for i in 175..190 {
                s += &format!("{}\n\n", v(i));
            }
        }
        _ => {
            s += "<html><body><table>";
            for (ri, (_, label)) in canon::T3_ROWS_2021.iter().enumerate() {
                s += "<tr>";
                for l in levels(label) {
                    s += &format!("<td>{l}</td>");
                }
                for c in 0..7 {
                    s += &format!("<td>{}</td>", v(ri * 7 + c));
                }
                s += "</tr>";
            }
            s += "</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr><tr>";
            s += &"<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>".repeat(3);
            s += "</tr><tr>";
            for i in 175..190 {
                s += &format!("<td>{}</td>", v(i));
            }
            s += "</tr></table></body></html>";
        }
    }
    s
}
