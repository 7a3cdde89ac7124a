//! Behaviour of the search index through its public API.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use gongkai_search::{
    Hit, Query, RebuildReason, Results, SCHEMA_VERSION, SearchDoc, SearchIndex, Segment, Sort,
    SuggestionKind, testing,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn doc(id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id,
        org_id: 1,
        org_name: "青岚市人民政府办公室".into(),
        column_id: Some(10),
        column_name: "政策文件".into(),
        title: title.into(),
        summary: String::new(),
        body: body.into(),
        attachment_text: String::new(),
        index_no: format!("QL0001/2025-{id:05}"),
        doc_nos: Vec::new(),
        topic: "综合政务".into(),
        genre: "通知".into(),
        file_type: "其他".into(),
        validity: "有效".into(),
        keywords: Vec::new(),
        written: Some(day(2025, 3, 1)),
        published: day(2025, 3, 2),
        year: 2025,
        url: format!("/gk/item/{id}"),
    }
}

fn index_with(docs: &[SearchDoc]) -> SearchIndex {
    let idx = SearchIndex::in_memory().expect("in-memory index");
    for d in docs {
        idx.upsert(d).expect("upsert");
    }
    idx.commit().expect("commit");
    idx
}

fn search(idx: &SearchIndex, text: &str) -> Results {
    idx.search(&Query::text(text)).expect("search")
}

fn ids(r: &Results) -> Vec<i64> {
    r.hits.iter().map(|h| h.id).collect()
}

fn highlighted(segs: &[Segment]) -> Vec<String> {
    segs.iter()
        .filter(|s| s.highlighted)
        .map(|s| s.text.clone())
        .collect()
}

fn joined(segs: &[Segment]) -> String {
    segs.iter().map(|s| s.text.as_str()).collect()
}

#[test]
fn simplified_and_traditional_find_each_other() {
    let idx = index_with(&[
        doc(1, "关于推进政务公开工作的通知", "全面推进政务公开。"),
        doc(2, "關於印發環境保護規劃的通知", "加強環境保護工作。"),
        doc(3, "关于做好防汛抗旱工作的通知", "做好防汛准备。"),
    ]);
    let r = search(&idx, "政務公開");
    assert_eq!(ids(&r), vec![1]);
    assert_eq!(highlighted(&r.hits[0].title), vec!["政务公开"]);

    let r = search(&idx, "环境保护");
    assert_eq!(ids(&r), vec![2]);
    // The highlight points at the item's own (traditional) characters.
    assert_eq!(highlighted(&r.hits[0].title), vec!["環境保護"]);
    assert_eq!(joined(&r.hits[0].title), "關於印發環境保護規劃的通知");
}

#[test]
fn full_width_and_half_width_fold() {
    let idx = index_with(&[
        doc(1, "２０２５年度ＧＤＰ统计公报", "全年ＧＤＰ增长。"),
        doc(2, "2024年度统计公报", "按PM2.5浓度计算。"),
    ]);
    assert_eq!(ids(&search(&idx, "2025年度gdp")), vec![1]);
    assert_eq!(ids(&search(&idx, "ＰＭ２．５")), vec![2]);
    assert_eq!(ids(&search(&idx, "pm2.5")), vec![2]);
}

#[test]
fn doc_no_matches_exactly_in_every_bracket_style() {
    let mut official = doc(
        1,
        "湖南省人民政府办公厅关于印发实施方案的通知",
        "方案全文。",
    );
    official.doc_nos = vec!["湘政办函〔2017〕44号".into()];
    let mut other_number = doc(2, "另一份通知", "其他内容。");
    other_number.doc_nos = vec!["湘政办函〔2017〕4号".into()];
    let mut citing = doc(
        3,
        "关于贯彻落实的通知",
        "根据湘政办函〔2017〕44号文件精神，制定本办法。",
    );
    citing.published = day(2025, 12, 1);
    let idx = index_with(&[official, other_number, citing]);
    for typed in [
        "湘政办函〔2017〕44号",
        "湘政办函[2017]44号",
        "湘政办函【2017】44号",
        "湘政办函(2017)44号",
        "湘政办函（2017）44号",
        "湘政办函 [ 2017 ] 44号",
        "湘政辦函〔２０１７〕44號",
    ] {
        for sort in [Sort::Relevance, Sort::DateDesc] {
            let mut q = Query::text(typed);
            q.sort = sort;
            let r = idx.search(&q).expect("search");
            assert_eq!(ids(&r), vec![1, 3], "typed {typed} sort {sort:?}");
            assert!(r.hits[0].exact, "typed {typed}");
            assert!(!r.hits[1].exact, "the citing item is a text match");
            assert_eq!(r.total, 2);
        }
    }
    let r = search(&idx, "湘政办函〔2017〕4号");
    assert_eq!(r.hits.first().map(|h| (h.id, h.exact)), Some((2, true)));
    assert_eq!(r.total, 1);
}

#[test]
fn index_no_matches_exactly() {
    let mut a = doc(1, "财政预算公开", "预算。");
    a.index_no = "11430000006940614T/2017-00123".into();
    let mut b = doc(2, "财政决算公开", "决算。");
    b.index_no = "11430000006940614T/2017-00124".into();
    let idx = index_with(&[a, b]);
    for typed in [
        "11430000006940614T/2017-00123",
        "11430000006940614t/2017-00123",
        "１１４３００００００６９４０６１４Ｔ／２０１７－００１２３",
        " 11430000006940614T / 2017-00123 ",
    ] {
        let r = search(&idx, typed);
        assert_eq!(ids(&r), vec![1], "typed {typed}");
        assert!(r.hits[0].exact);
        assert_eq!(r.hits[0].index_no, "11430000006940614T/2017-00123");
    }
}

#[test]
fn deleted_and_replaced_items_are_never_found_again() {
    let mut withdrawn = doc(1, "关于养老服务补贴的通知", "养老服务补贴标准。");
    withdrawn.topic = "民政、扶贫、救灾".into();
    let mut kept = doc(2, "关于养老服务设施建设的通知", "养老服务设施。");
    kept.topic = "民政、扶贫、救灾".into();
    let idx = index_with(&[withdrawn, kept, doc(3, "防汛通知", "防汛。")]);
    assert_eq!(search(&idx, "养老服务").total, 2);

    idx.delete(1).expect("delete");
    idx.commit().expect("commit");
    let r = search(&idx, "养老服务");
    assert_eq!(ids(&r), vec![2]);
    assert!(search(&idx, "补贴标准").hits.is_empty());
    let topic = r
        .facets
        .topics
        .iter()
        .find(|t| t.value == "民政、扶贫、救灾");
    assert_eq!(topic.map(|t| t.count), Some(1));
    // Browsing (no text) does not resurrect it either.
    let all = search(&idx, "");
    assert_eq!(all.total, 2);
    assert!(!ids(&all).contains(&1));
    assert_eq!(idx.num_docs(), 2);

    // A correction replaces the item: the old wording is gone.
    let mut corrected = doc(2, "关于养老机构建设的通知", "养老机构。");
    corrected.topic = "民政、扶贫、救灾".into();
    idx.upsert(&corrected).expect("upsert");
    idx.commit().expect("commit");
    assert!(search(&idx, "养老服务设施").hits.is_empty());
    assert_eq!(ids(&search(&idx, "养老机构")), vec![2]);
    assert_eq!(idx.num_docs(), 2);
}

fn catalog() -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let rows: [(i64, i64, &str, &str, i32, &str, &str); 6] = [
        (1, 1, "市政府办公室", "综合政务", 2024, "有效", "规范性文件"),
        (2, 1, "市政府办公室", "综合政务", 2025, "有效", "规范性文件"),
        (
            3,
            1,
            "市政府办公室",
            "财政、金融、审计",
            2025,
            "废止",
            "其他",
        ),
        (4, 2, "市教育局", "教育", 2025, "有效", "规范性文件"),
        (5, 2, "市教育局", "教育", 2023, "失效", "其他"),
        (6, 3, "青岚县人民政府", "综合政务", 2025, "有效", "其他"),
    ];
    for (id, org, org_name, topic, year, validity, file_type) in rows {
        let mut d = doc(id, &format!("关于第{id}项工作的通知"), "工作安排如下。");
        d.org_id = org;
        d.org_name = org_name.into();
        d.topic = topic.into();
        d.year = year;
        d.validity = validity.into();
        d.file_type = file_type.into();
        d.column_id = Some(100 + org);
        d.published = day(year, 6, u32::try_from(id).expect("small id"));
        docs.push(d);
    }
    docs
}

#[test]
fn filters_and_facet_counts() {
    let idx = index_with(&catalog());

    let r = search(&idx, "通知");
    assert_eq!(r.total, 6);
    let agencies: Vec<(i64, &str, u64)> = r
        .facets
        .agencies
        .iter()
        .map(|a| (a.org_id, a.org_name.as_str(), a.count))
        .collect();
    assert_eq!(
        agencies,
        vec![
            (1, "市政府办公室", 3),
            (2, "市教育局", 2),
            (3, "青岚县人民政府", 1)
        ]
    );
    let years: Vec<(i32, u64)> = r.facets.years.iter().map(|y| (y.year, y.count)).collect();
    assert_eq!(years, vec![(2025, 4), (2024, 1), (2023, 1)]);
    let validity: Vec<(&str, u64)> = r
        .facets
        .validity
        .iter()
        .map(|v| (v.value.as_str(), v.count))
        .collect();
    assert_eq!(validity, vec![("有效", 4), ("失效", 1), ("废止", 1)]);
    let topics: Vec<(&str, u64)> = r
        .facets
        .topics
        .iter()
        .map(|t| (t.value.as_str(), t.count))
        .collect();
    assert_eq!(
        topics,
        vec![("综合政务", 3), ("教育", 2), ("财政、金融、审计", 1)]
    );

    // A jurisdiction subtree: several agencies at once.
    let mut q = Query::text("通知");
    q.org_ids = vec![1, 2];
    let r = idx.search(&q).expect("search");
    assert_eq!(r.total, 5);
    assert!(r.hits.iter().all(|h| h.org_id != 3));

    // Filters combine, and facets are counted over the filtered set.
    q.year = Some(2025);
    q.validity = Some("有效".into());
    let r = idx.search(&q).expect("search");
    let mut got = ids(&r);
    got.sort();
    assert_eq!(got, vec![2, 4]);
    assert_eq!(r.facets.years.len(), 1);
    assert_eq!(r.facets.agencies.iter().map(|a| a.count).sum::<u64>(), 2);

    let mut q = Query::text("");
    q.topic = Some("教育".into());
    assert_eq!(idx.search(&q).expect("search").total, 2);
    let mut q = Query::text("");
    q.file_type = Some("规范性文件".into());
    q.column_id = Some(101);
    assert_eq!(idx.search(&q).expect("search").total, 2);
    let mut q = Query::text("");
    q.genre = Some("公告".into());
    assert_eq!(idx.search(&q).expect("search").total, 0);
}

#[test]
fn date_sort_is_newest_first() {
    let idx = index_with(&catalog());
    let mut q = Query::text("工作");
    q.sort = Sort::DateDesc;
    let r = idx.search(&q).expect("search");
    assert_eq!(ids(&r), vec![6, 4, 3, 2, 1, 5]);
    let dates: Vec<NaiveDate> = r.hits.iter().filter_map(|h| h.published).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    // No text: browsing is by date too.
    assert_eq!(ids(&search(&idx, "")), vec![6, 4, 3, 2, 1, 5]);
}

#[test]
fn relevance_prefers_title_matches() {
    let idx = index_with(&[
        doc(
            1,
            "关于开展安全检查的通知",
            "本次检查涉及安全生产、消防等方面。",
        ),
        doc(2, "关于加强安全生产工作的通知", "落实安全生产责任制。"),
    ]);
    assert_eq!(ids(&search(&idx, "安全生产")), vec![2, 1]);
}

#[test]
fn snippets_hold_the_query_term() {
    let body = format!(
        "{}。为进一步推进政务公开标准化规范化，现将有关事项通知如下。{}",
        "前言部分介绍背景情况".repeat(30),
        "其他内容".repeat(40)
    );
    let idx = index_with(&[doc(1, "关于推进政务公开标准化规范化工作的通知", &body)]);
    let r = search(&idx, "政务公开");
    let hit: &Hit = &r.hits[0];
    assert_eq!(highlighted(&hit.title), vec!["政务公开"]);
    assert_eq!(highlighted(&hit.snippet), vec!["政务公开"]);
    let text = joined(&hit.snippet);
    assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
    assert!(text.chars().count() < 130, "{text}");
}

#[test]
fn attachment_and_metadata_are_searched() {
    let mut a = doc(1, "关于公布名单的通知", "名单见附件。");
    a.attachment_text = "附件：第一批青岚市非物质文化遗产代表性项目名录".into();
    let mut b = doc(2, "关于招生工作的通知", "做好招生工作。");
    b.org_name = "青岚市教育局".into();
    b.keywords = vec!["义务教育".into()];
    let idx = index_with(&[a, b]);
    let r = search(&idx, "非物质文化遗产");
    assert_eq!(ids(&r), vec![1]);
    // The match is in the attachment: the snippet is the body's opening.
    assert_eq!(joined(&r.hits[0].snippet), "名单见附件。");
    assert_eq!(ids(&search(&idx, "教育局")), vec![2]);
    assert_eq!(ids(&search(&idx, "义务教育")), vec![2]);
    // A name jieba does not know is still found inside a longer word.
    assert_eq!(ids(&search(&idx, "青岚")).len(), 2);
}

#[test]
fn a_single_character_is_found_anywhere_in_a_word() {
    let idx = index_with(&[
        doc(1, "个人所得税", "依法缴纳个人所得税。"),
        doc(2, "税收优惠政策解读", "优惠。"),
        doc(3, "纳税人权益保护", "保护。"),
        doc(4, "防汛通知", "做好准备。"),
    ]);
    let mut got = ids(&search(&idx, "税"));
    got.sort();
    assert_eq!(got, vec![1, 2, 3]);
    let mut got = ids(&search(&idx, "稅"));
    got.sort();
    assert_eq!(got, vec![1, 2, 3], "traditional single character");
}

#[test]
fn every_query_part_must_match() {
    let idx = index_with(&[
        doc(1, "关于城乡居民医疗保险的通知", "参保缴费。"),
        doc(2, "关于城乡居民养老保险的通知", "参保缴费。"),
    ]);
    assert_eq!(search(&idx, "城乡居民 医疗").total, 1);
    assert_eq!(search(&idx, "城乡居民").total, 2);
    assert_eq!(search(&idx, "城乡居民 火星").total, 0);
}

#[test]
fn paging_walks_all_hits_once() {
    let docs: Vec<SearchDoc> = (1..=25)
        .map(|i| {
            let mut d = doc(i, &format!("第{i}号河长制工作简报"), "河长制工作。");
            d.published = day(2025, 1, u32::try_from(i).expect("small"));
            d
        })
        .collect();
    let idx = index_with(&docs);
    let mut seen = Vec::new();
    for (offset, expected) in [(0, 10), (10, 10), (20, 5), (30, 0)] {
        let mut q = Query::text("河长制");
        q.sort = Sort::DateDesc;
        q.offset = offset;
        q.limit = 10;
        let r = idx.search(&q).expect("search");
        assert_eq!(r.total, 25);
        assert_eq!(r.hits.len(), expected, "offset {offset}");
        seen.extend(ids(&r));
    }
    let expected: Vec<i64> = (1..=25).rev().collect();
    assert_eq!(seen, expected);
    let mut q = Query::text("河长制");
    q.limit = 10_000;
    assert_eq!(
        idx.search(&q).expect("search").limit,
        gongkai_search::MAX_LIMIT
    );
}

#[test]
fn suggestions_come_from_the_index() {
    let idx = index_with(&[
        doc(1, "关于推进政务公开工作的通知", "政务公开。"),
        doc(2, "政务公开工作要点", "要点。"),
        doc(3, "关于做好养老服务工作的通知", "养老服务。"),
        doc(4, "养老服务机构名单", "名单。"),
        doc(5, "养老服务补贴发放情况", "补贴。"),
    ]);
    // A typo: one wrong character.
    let r = search(&idx, "正务公开");
    assert_eq!(r.total, 0);
    assert!(
        r.suggestions
            .iter()
            .any(|s| s.kind == SuggestionKind::Spelling && s.text == "政务公开"),
        "{:?}",
        r.suggestions
    );
    // A part that occurs nowhere is dropped.
    let r = search(&idx, "养老服务 火星基地");
    assert_eq!(r.total, 0);
    assert!(
        r.suggestions
            .iter()
            .any(|s| s.kind == SuggestionKind::Broader && s.text == "养老服务"),
        "{:?}",
        r.suggestions
    );
    // Words of titles that share a word with the query.
    let related: Vec<&str> = r
        .suggestions
        .iter()
        .filter(|s| s.kind == SuggestionKind::Related)
        .map(|s| s.text.as_str())
        .collect();
    assert!(
        related.contains(&"补贴") || related.contains(&"机构"),
        "{related:?}"
    );
    // Every suggestion finds something.
    for s in &r.suggestions {
        assert!(search(&idx, &s.text).total > 0, "{s:?}");
    }
    // An empty query offers frequent title words.
    let r = search(&idx, "");
    let popular: Vec<&str> = r.suggestions.iter().map(|s| s.text.as_str()).collect();
    assert!(popular.contains(&"养老服务"), "{popular:?}");
    assert!(popular.contains(&"政务公开"), "{popular:?}");
    assert!(
        r.suggestions
            .iter()
            .all(|s| s.kind == SuggestionKind::Popular)
    );
    // A query with hits gets none.
    assert!(search(&idx, "养老服务").suggestions.is_empty());
}

#[test]
fn popular_words_follow_the_contents() {
    let idx = index_with(&[
        doc(1, "养老服务补贴发放情况", "补贴。"),
        doc(2, "养老服务机构名单", "名单。"),
    ]);
    let before: Vec<String> = search(&idx, "")
        .suggestions
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert!(before.contains(&"养老服务".to_string()), "{before:?}");
    assert!(!before.contains(&"防汛抗旱".to_string()));
    for id in 3..6 {
        idx.upsert(&doc(id, &format!("防汛抗旱第{id}号通报"), "防汛。"))
            .expect("upsert");
    }
    idx.delete(1).expect("delete");
    idx.delete(2).expect("delete");
    idx.commit().expect("commit");
    let after: Vec<String> = search(&idx, "")
        .suggestions
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert!(after.contains(&"防汛抗旱".to_string()), "{after:?}");
    assert!(!after.contains(&"养老服务".to_string()), "{after:?}");
    // Filters have their own words.
    let mut q = Query::text("");
    q.org_ids = vec![99];
    assert!(idx.search(&q).expect("search").suggestions.is_empty());
}

#[test]
fn rebuild_replaces_contents_and_keeps_concurrent_changes() {
    let idx = index_with(&[doc(1, "旧的通知", "旧。"), doc(2, "将被删除的通知", "删。")]);
    let mut rb = idx.begin_rebuild().expect("begin");
    rb.add(&doc(3, "重建的通知", "新。")).expect("add");
    // Changes arriving during the rebuild are queued…
    idx.upsert(&doc(4, "重建期间发布的通知", "新。"))
        .expect("upsert");
    idx.delete(2).expect("delete");
    idx.commit().expect("commit");
    // …and searches still see the old contents.
    let mut before = ids(&search(&idx, "通知"));
    before.sort();
    assert_eq!(before, vec![1, 2]);
    assert_eq!(rb.finish().expect("finish"), 1);
    let mut after = ids(&search(&idx, "通知"));
    after.sort();
    assert_eq!(after, vec![3, 4]);

    // An abandoned rebuild keeps the contents, plus what was queued.
    let mut rb = idx.begin_rebuild().expect("begin");
    rb.add(&doc(5, "不会出现的通知", "无。")).expect("add");
    assert!(matches!(
        idx.begin_rebuild(),
        Err(gongkai_search::SearchError::RebuildRunning)
    ));
    idx.upsert(&doc(6, "放弃重建时发布的通知", "新。"))
        .expect("upsert");
    drop(rb);
    let mut after = ids(&search(&idx, "通知"));
    after.sort();
    assert_eq!(after, vec![3, 4, 6]);
}

fn open(dir: &Path) -> (SearchIndex, Option<RebuildReason>) {
    let o = SearchIndex::open_or_rebuild(dir).expect("open");
    (o.index, o.rebuild)
}

#[test]
fn index_is_reopened_from_disk() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("search");
    let (idx, why) = open(&dir);
    assert_eq!(why, Some(RebuildReason::Missing));
    idx.rebuild([doc(1, "关于推进政务公开工作的通知", "正文。")])
        .expect("rebuild");
    drop(idx);

    let (idx, why) = open(&dir);
    assert_eq!(why, None);
    assert_eq!(ids(&search(&idx, "政务公开")), vec![1]);
    idx.upsert(&doc(2, "防汛抗旱工作通知", "正文。"))
        .expect("upsert");
    idx.commit().expect("commit");
    drop(idx);

    let (idx, why) = open(&dir);
    assert_eq!(why, None);
    assert_eq!(ids(&search(&idx, "防汛")), vec![2]);
    assert_eq!(idx.num_docs(), 2);
}

#[test]
fn an_index_never_rebuilt_asks_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (idx, why) = open(tmp.path());
    assert_eq!(why, Some(RebuildReason::Missing));
    drop(idx);
    let (idx, why) = open(tmp.path());
    assert_eq!(why, Some(RebuildReason::Incomplete));
    idx.rebuild(Vec::<SearchDoc>::new()).expect("rebuild");
    drop(idx);
    assert_eq!(open(tmp.path()).1, None);
}

fn built_index(dir: &Path) {
    let (idx, _) = open(dir);
    idx.rebuild([
        doc(1, "关于推进政务公开工作的通知", "正文。"),
        doc(2, "第二份通知", "正文。"),
    ])
    .expect("rebuild");
}

#[test]
fn garbage_meta_is_recreated_and_other_files_are_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    built_index(tmp.path());
    fs::write(tmp.path().join("meta.json"), b"\x00\xffnot json at all").expect("write");
    fs::write(tmp.path().join("notes.txt"), "operator notes").expect("write");

    let (idx, why) = open(tmp.path());
    assert!(matches!(why, Some(RebuildReason::Corrupt(_))), "{why:?}");
    assert_eq!(idx.num_docs(), 0);
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes.txt")).expect("kept"),
        "operator notes"
    );
    // Usable at once.
    idx.rebuild([doc(7, "恢复后的通知", "正文。")])
        .expect("rebuild");
    assert_eq!(ids(&search(&idx, "恢复")), vec![7]);
}

#[test]
fn garbage_segment_files_are_recreated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    built_index(tmp.path());
    let mut damaged = 0;
    for e in fs::read_dir(tmp.path()).expect("list") {
        let p = e.expect("entry").path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.len() > 33 && name.as_bytes()[32] == b'.' {
            fs::write(&p, b"garbage garbage garbage").expect("overwrite");
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    let (idx, why) = open(tmp.path());
    assert!(matches!(why, Some(RebuildReason::Corrupt(_))), "{why:?}");
    assert_eq!(idx.num_docs(), 0);
    idx.upsert(&doc(9, "恢复后的通知", "正文。"))
        .expect("upsert");
    idx.commit().expect("commit");
    assert_eq!(ids(&search(&idx, "恢复")), vec![9]);
}

#[test]
fn another_schema_version_is_recreated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    built_index(tmp.path());
    let next = SCHEMA_VERSION + 1;
    let o = testing::open_with_version(tmp.path(), next).expect("open");
    assert_eq!(
        o.rebuild,
        Some(RebuildReason::SchemaChanged {
            found: Some(SCHEMA_VERSION),
            expected: next
        })
    );
    assert_eq!(o.index.num_docs(), 0);
    drop(o);
    // Going back is a change too.
    let (_, why) = open(tmp.path());
    assert_eq!(
        why,
        Some(RebuildReason::SchemaChanged {
            found: Some(next),
            expected: SCHEMA_VERSION
        })
    );
}

#[test]
fn a_second_writer_is_refused_not_wiped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    built_index(tmp.path());
    let (held, _) = open(tmp.path());
    let second = SearchIndex::open_or_rebuild(tmp.path());
    assert!(matches!(
        second,
        Err(gongkai_search::SearchError::Locked(_))
    ));
    assert_eq!(held.num_docs(), 2);
}

#[test]
fn a_phrase_typed_without_spaces_finds_items_with_its_words_apart() {
    let idx = index_with(&[
        doc(1, "国庆假期道路运输应急保障工作方案", "方案。"),
        doc(2, "国庆假期应急保障工作的通知", "通知。"),
        doc(3, "国庆假期安全生产检查", "检查。"),
    ]);
    // The words apart still match; the phrase as typed ranks first.
    let r = search(&idx, "国庆假期应急保障");
    assert_eq!(ids(&r), vec![2, 1]);
    let title = highlighted(&r.hits[1].title);
    assert!(title.iter().any(|t| t == "应急保障"), "{title:?}");
    // A particle in the query need not be in the item.
    assert_eq!(ids(&search(&idx, "国庆假期的应急保障")), vec![2, 1]);
    // Every word is still required.
    assert_eq!(search(&idx, "国庆假期防汛保障").total, 0);
    // A run jieba can only cut into single characters stays a phrase, so a
    // typo finds nothing and gets its spelling suggestion.
    assert_eq!(search(&idx, "国庆叚期").total, 0);
}
