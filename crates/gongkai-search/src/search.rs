//! Queries: what the caller asks, how it becomes a tantivy query, and
//! what comes back.
//!
//! Matching is by substring on the folded text: every run of letters,
//! digits and ideographs in the query (a "unit") must occur in the item —
//! title, summary, body, attachment text or metadata; a long run of
//! ideographs typed without spaces may instead match as all of its jieba
//! words ([`relaxed_words`]). Ranking is BM25 of
//! those occurrences plus BM25 of the query's jieba words in the title
//! (weighted ×3), so title matches come first. A query that is exactly a 发文字号 or 索引号
//! (in any bracket style) also matches that field exactly, and those items
//! are pinned above all others.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery,
    Query as TQuery, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::analysis::{Gram, cut_words, grams};
use crate::doc::date_from_day_number;
use crate::error::SearchError;
use crate::facets::{FacetCollector, FacetCounts, Facets};
use crate::highlight::{Segment, lead, match_ranges, segments, snippet};
use crate::index::SearchIndex;
use crate::normalise::{canonical_doc_no, canonical_index_no, is_cjk, is_word_char, normalise};
use crate::suggest::Suggestion;

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Deepest offset served: paging further means collecting ever more top
/// documents for no reader; narrow the query instead.
pub const MAX_OFFSET: usize = 10_000;
/// Longer query text is cut (a pasted paragraph is not a search).
pub const MAX_QUERY_CHARS: usize = 100;
/// Exact 文号/索引号 matches are pinned above the rest when there are at
/// most this many (a number shared by more singles nothing out).
const MAX_EXACT: usize = 50;
const MAX_UNITS: usize = 16;
const MAX_WORDS: usize = 32;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (falls back to date when there is no query text).
    #[default]
    Relevance,
    /// Newest 发布日期 first.
    DateDesc,
}

/// A search request. Empty filters do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub text: String,
    /// Publishing agencies to search (e.g. a jurisdiction subtree); empty
    /// means all.
    pub org_ids: Vec<i64>,
    pub column_id: Option<i64>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    pub file_type: Option<String>,
    pub validity: Option<String>,
    pub year: Option<i32>,
    pub sort: Sort,
    pub offset: usize,
    /// 0 means [`DEFAULT_LIMIT`]; capped at [`MAX_LIMIT`].
    pub limit: usize,
}

impl Query {
    pub fn text(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            ..Query::default()
        }
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Items matching the query and filters (all pages).
    pub total: usize,
    /// The offset and limit actually applied (after capping).
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    /// Counts over all `total` items.
    pub facets: Facets,
    /// Offered when the query is empty or found nothing.
    pub suggestions: Vec<Suggestion>,
}

/// One found item, with what a result list shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: i64,
    /// The whole title, query matches highlighted.
    pub title: Vec<Segment>,
    /// A window of the body (or summary) around the matches; its opening
    /// when the match was elsewhere (metadata, attachment).
    pub snippet: Vec<Segment>,
    /// Matched the 发文字号 or 索引号 exactly.
    pub exact: bool,
    pub org_id: i64,
    pub org_name: String,
    pub column_name: String,
    pub index_no: String,
    pub doc_nos: Vec<String>,
    pub topic: String,
    pub genre: String,
    pub file_type: String,
    pub validity: String,
    pub written: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub url: String,
    pub score: f32,
}

/// The query text taken apart once.
pub(crate) struct Parsed {
    pub folded: String,
    /// Runs of word characters of the folded text: each must match.
    pub units: Vec<String>,
    /// For each unit, the jieba words it may also match as (all of them,
    /// anywhere in the item) when it was typed without spaces: empty when
    /// the unit must match as typed (see [`relaxed_words`]).
    pub relaxed: Vec<Vec<String>>,
    /// jieba words of the folded text: ranking and suggestions.
    pub words: Vec<String>,
    pub doc_no_key: String,
    pub index_no_key: String,
}

pub(crate) fn parse(text: &str) -> Parsed {
    let trimmed = text.trim();
    let raw: String = trimmed.chars().take(MAX_QUERY_CHARS).collect();
    let folded = normalise(&raw);
    let mut units: Vec<String> = Vec::new();
    for u in folded
        .split(|c: char| !is_word_char(c))
        .filter(|u| !u.is_empty())
    {
        if !units.iter().any(|x| x == u) && units.len() < MAX_UNITS {
            units.push(u.to_string());
        }
    }
    let relaxed = units.iter().map(|u| relaxed_words(u)).collect();
    let mut words: Vec<String> = Vec::new();
    for w in cut_words(&folded) {
        if !words.contains(&w) && words.len() < MAX_WORDS {
            words.push(w);
        }
    }
    Parsed {
        doc_no_key: canonical_doc_no(&raw),
        index_no_key: canonical_index_no(&raw),
        folded,
        units,
        relaxed,
        words,
    }
}

/// Function words a typed phrase may carry that an item need not repeat.
const PARTICLES: &[&str] = &["的", "和", "与", "及", "之", "在", "对", "等", "或", "了"];

/// The words a run of ideographs typed without spaces may match as: people
/// type 国庆假期应急保障 for a title that says 国庆假期道路运输应急保障
/// ("搜不全" is what evaluators test first). The run is cut by jieba; it is
/// relaxed only when every piece is a word of two or more characters or a
/// particle, because a run that jieba can only cut into single characters
/// (a typo such as 正务公开, a rare name) would otherwise match almost
/// anything and hide the spelling suggestion. Runs of under four
/// characters, and runs with letters or digits, stay phrases.
pub(crate) fn relaxed_words(unit: &str) -> Vec<String> {
    if unit.chars().count() < 4 || !unit.chars().all(is_cjk) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for w in cut_words(unit) {
        if PARTICLES.contains(&w.as_str()) {
            continue;
        }
        if w.chars().count() < 2 {
            return Vec::new();
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    if out.len() < 2 { Vec::new() } else { out }
}

/// Effective offset and limit.
pub(crate) fn paging(q: &Query) -> (usize, usize) {
    let limit = match q.limit {
        0 => DEFAULT_LIMIT,
        n => n.min(MAX_LIMIT),
    };
    (q.offset.min(MAX_OFFSET), limit)
}

pub(crate) fn and(
    mut clauses: Vec<(Occur, Box<dyn TQuery>)>,
    q: Box<dyn TQuery>,
) -> Box<dyn TQuery> {
    if clauses.is_empty() {
        return q;
    }
    clauses.push((Occur::Must, q));
    Box::new(BooleanQuery::new(clauses))
}

fn clone_clauses(c: &[(Occur, Box<dyn TQuery>)]) -> Vec<(Occur, Box<dyn TQuery>)> {
    c.iter().map(|(o, q)| (*o, q.box_clone())).collect()
}

/// The query matching `unit` as a substring of `field`'s text: one gram
/// is a term, several a phrase at their character offsets. A single
/// ideograph occurs either as the first character of a bigram or as the
/// last of a run: a prefix scan of the bigrams or that unigram.
pub(crate) fn unit_query(field: Field, unit: &str) -> Option<Box<dyn TQuery>> {
    let mut chars = unit.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && is_cjk(c)
    {
        let alone = TermQuery::new(
            Term::from_field_text(field, unit),
            IndexRecordOption::WithFreqs,
        );
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Should, Box::new(alone))];
        // An ideograph is never a regex metacharacter.
        if let Ok(starts) = RegexQuery::from_pattern(&format!("{c}."), field) {
            clauses.push((Occur::Should, Box::new(starts)));
        }
        return Some(Box::new(BooleanQuery::new(clauses)));
    }
    let all = grams(unit, false);
    let g = cover(&all);
    match g.as_slice() {
        [] => None,
        [one] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, &one.term),
            IndexRecordOption::WithFreqs,
        ))),
        [first, ..] => {
            let base = first.position;
            let terms = g
                .iter()
                .map(|x| (x.position - base, Term::from_field_text(field, &x.term)))
                .collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}

fn is_bigram(g: &Gram) -> bool {
    let mut c = g.term.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b))
}

/// The bigrams that pin a run down without overlapping (安全生产 → 安全@0,
/// 生产@2; an odd run keeps its last bigram too): a phrase reads the
/// positions of each of its terms for every candidate, so half the terms is
/// half the work, and the match is the same.
fn cover(g: &[Gram]) -> Vec<&Gram> {
    let mut out: Vec<&Gram> = Vec::with_capacity(g.len());
    for (k, x) in g.iter().enumerate() {
        if is_bigram(x) {
            let continues = g
                .get(k + 1)
                .is_some_and(|n| is_bigram(n) && n.position == x.position + 1);
            let covered = out
                .last()
                .is_some_and(|p| is_bigram(p) && p.position + 1 == x.position);
            if covered && continues {
                continue;
            }
        }
        out.push(x);
    }
    out
}

fn boosted(q: Box<dyn TQuery>, by: f32) -> Box<dyn TQuery> {
    Box::new(BoostQuery::new(q, by))
}

impl SearchIndex {
    /// Runs a search on the current contents.
    pub fn search(&self, q: &Query) -> Result<Results, SearchError> {
        let searcher = self.reader.searcher();
        let p = parse(&q.text);
        let (offset, limit) = paging(q);
        let filters = self.filters(q);
        let text = self.text_query(&p);
        let exact = self.exact_query(&p);
        let sort = if text.is_none() {
            Sort::DateDesc
        } else {
            q.sort
        };

        let mut exact_hits: Vec<DocAddress> = match &exact {
            Some(e) => searcher
                .search(
                    &and(clone_clauses(&filters), e.box_clone()),
                    &TopDocs::with_limit(MAX_EXACT + 1).order_by_u64_field("date_key", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
            None => Vec::new(),
        };
        // The exact clause only when it found something: wrapping every
        // query in a union costs the common case (no 文号 typed) dearly.
        let exact = exact.filter(|_| !exact_hits.is_empty());
        if exact_hits.len() > MAX_EXACT {
            // Not a number that singles items out: no pinning, the exact
            // matches are ranked with the rest.
            exact_hits.clear();
        }
        let matcher: Box<dyn TQuery> = match (&text, &exact) {
            (Some(t), Some(e)) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, t.box_clone()),
                (Occur::Should, e.box_clone()),
            ])),
            (Some(t), None) => t.box_clone(),
            (None, Some(e)) => e.box_clone(),
            (None, None) if p.units.is_empty() => Box::new(AllQuery),
            (None, None) => Box::new(EmptyQuery),
        };
        let main = and(clone_clauses(&filters), matcher);

        let mut page: Vec<(f32, DocAddress, bool)> = Vec::new();
        let (total, counts) = if exact_hits.is_empty() {
            let (top, counts) = page_of(&searcher, main.as_ref(), sort, offset, limit, true)?;
            page.extend(top.into_iter().map(|(s, a)| (s, a, false)));
            counts.unwrap_or((0, FacetCounts::default()))
        } else {
            let counts = searcher.search(main.as_ref(), &(Count, FacetCollector))?;
            let pinned = exact_hits.len();
            page.extend(
                exact_hits
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|a| (f32::INFINITY, *a, true)),
            );
            let room = limit - page.len();
            if let (Some(t), Some(e), true) = (&text, &exact, room > 0) {
                let mut rest = clone_clauses(&filters);
                rest.push((Occur::MustNot, e.box_clone()));
                let rest = and(rest, t.box_clone());
                let rest_offset = offset.saturating_sub(pinned);
                let (top, _) = page_of(&searcher, rest.as_ref(), sort, rest_offset, room, false)?;
                page.extend(top.into_iter().map(|(s, a)| (s, a, false)));
            }
            counts
        };

        let mut needles = p.units.clone();
        needles.extend(p.relaxed.iter().flatten().cloned());
        let hits = page
            .into_iter()
            .map(|(score, addr, exact)| self.hit(&searcher, addr, score, exact, &needles))
            .collect::<Result<Vec<_>, _>>()?;

        let suggestions = if p.units.is_empty() {
            self.popular_cached(&searcher, q, &filters)?
        } else if total == 0 {
            self.suggest(&searcher, &p, &filters)?
        } else {
            Vec::new()
        };

        Ok(Results {
            total,
            offset,
            limit,
            hits,
            facets: counts.into_facets(),
            suggestions,
        })
    }

    pub(crate) fn filters(&self, q: &Query) -> Vec<(Occur, Box<dyn TQuery>)> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn TQuery>> = Vec::new();
        if !q.org_ids.is_empty() {
            let terms = q
                .org_ids
                .iter()
                .map(|id| Term::from_field_i64(f.org_id, *id));
            out.push(Box::new(TermSetQuery::new(terms)));
        }
        if let Some(c) = q.column_id {
            out.push(Box::new(TermQuery::new(
                Term::from_field_i64(f.column_id, c),
                IndexRecordOption::Basic,
            )));
        }
        for (field, value) in [
            (f.topic, &q.topic),
            (f.genre, &q.genre),
            (f.file_type, &q.file_type),
            (f.validity, &q.validity),
        ] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                out.push(Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                )));
            }
        }
        if let Some(y) = q.year {
            out.push(Box::new(TermQuery::new(
                Term::from_field_i64(f.year, i64::from(y)),
                IndexRecordOption::Basic,
            )));
        }
        // Filters select; they must not move the ranking.
        out.into_iter()
            .map(|q| {
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn TQuery>,
                )
            })
            .collect()
    }

    pub(crate) fn text_query(&self, p: &Parsed) -> Option<Box<dyn TQuery>> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (u, relaxed) in p.units.iter().zip(&p.relaxed) {
            let Some(q) = unit_query(f.grams, u) else {
                continue;
            };
            let words: Vec<Box<dyn TQuery>> = relaxed
                .iter()
                .filter_map(|w| unit_query(f.grams, w))
                .collect();
            if words.len() < 2 {
                clauses.push((Occur::Must, q));
                continue;
            }
            // Every word somewhere, the phrase as typed ranks first.
            let mut either: Vec<(Occur, Box<dyn TQuery>)> =
                words.into_iter().map(|w| (Occur::Must, w)).collect();
            either.push((Occur::Should, boosted(q, 2.0)));
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
        if clauses.is_empty() {
            return None;
        }
        for w in &p.words {
            let title = TermQuery::new(
                Term::from_field_text(f.title, w),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((Occur::Should, boosted(Box::new(title), 3.0)));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn exact_query(&self, p: &Parsed) -> Option<Box<dyn TQuery>> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (field, key) in [
            (f.doc_no_key, &p.doc_no_key),
            (f.index_no_key, &p.index_no_key),
        ] {
            if !key.is_empty() {
                let q = TermQuery::new(Term::from_field_text(field, key), IndexRecordOption::Basic);
                clauses.push((Occur::Should, Box::new(q)));
            }
        }
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn TQuery>)
    }

    /// Number of items matching `text` under `filters` (for suggestions:
    /// only alternatives that find something are offered).
    pub(crate) fn count_text(
        &self,
        searcher: &Searcher,
        text: &str,
        filters: &[(Occur, Box<dyn TQuery>)],
    ) -> Result<usize, SearchError> {
        let p = parse(text);
        let Some(t) = self.text_query(&p) else {
            return Ok(0);
        };
        Ok(searcher.search(and(clone_clauses(filters), t).as_ref(), &Count)?)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        exact: bool,
        needles: &[String],
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let int = |field: Field| doc.get_first(field).and_then(|v| v.as_i64());
        let title = text(f.title);
        let body = text(f.body);
        let summary = text(f.summary);
        let title_ranges = match_ranges(&title, needles);
        let snippet = snippet(&body, needles)
            .or_else(|| snippet(&summary, needles))
            .unwrap_or_else(|| {
                if summary.trim().is_empty() {
                    lead(&body)
                } else {
                    lead(&summary)
                }
            });
        Ok(Hit {
            id: int(f.id).unwrap_or_default(),
            title: segments(&title, &title_ranges),
            snippet,
            exact,
            org_id: int(f.org_id).unwrap_or_default(),
            org_name: text(f.org_name),
            column_name: text(f.column_name),
            index_no: text(f.index_no),
            doc_nos: doc
                .get_all(f.doc_no)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            topic: text(f.topic),
            genre: text(f.genre),
            file_type: text(f.file_type),
            validity: text(f.validity),
            written: int(f.written).and_then(date_from_day_number),
            published: int(f.published).and_then(date_from_day_number),
            url: text(f.url),
            score: if score.is_finite() { score } else { f32::MAX },
        })
    }
}

type Page = Vec<(f32, DocAddress)>;

/// One page in the requested order, plus (when asked) total and facets
/// from the same pass over the hits.
fn page_of(
    searcher: &Searcher,
    query: &dyn TQuery,
    sort: Sort,
    offset: usize,
    limit: usize,
    with_counts: bool,
) -> Result<(Page, Option<(usize, FacetCounts)>), SearchError> {
    let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
    Ok(match (sort, with_counts) {
        (Sort::Relevance, true) => {
            let (t, n, f) =
                searcher.search(query, &(top.order_by_score(), Count, FacetCollector))?;
            (t, Some((n, f)))
        }
        (Sort::Relevance, false) => (searcher.search(query, &top.order_by_score())?, None),
        (Sort::DateDesc, with) => {
            let by_date = top.order_by_u64_field("date_key", Order::Desc);
            let (t, counts) = if with {
                let (t, n, f) = searcher.search(query, &(by_date, Count, FacetCollector))?;
                (t, Some((n, f)))
            } else {
                (searcher.search(query, &by_date)?, None)
            };
            (t.into_iter().map(|(_, a)| (0.0, a)).collect(), counts)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_text_is_folded_and_split() {
        let p = parse("  政務公開　２０２５ ");
        assert_eq!(p.folded, "政务公开 2025");
        assert_eq!(p.units, vec!["政务公开", "2025"]);
        assert!(p.words.contains(&"政务公开".to_string()));
        let p = parse("湘政办函[2017]44号");
        assert_eq!(p.doc_no_key, "湘政办函〔2017〕44号");
        assert_eq!(p.units, vec!["湘政办函", "2017", "44号"]);
    }

    #[test]
    fn phrases_use_non_overlapping_bigrams() {
        let terms = |u: &str| -> Vec<(String, usize)> {
            cover(&grams(u, false))
                .into_iter()
                .map(|g| (g.term.clone(), g.position))
                .collect()
        };
        let t = |v: &[(&str, usize)]| -> Vec<(String, usize)> {
            v.iter().map(|(s, p)| (s.to_string(), *p)).collect()
        };
        assert_eq!(terms("安全生产"), t(&[("安全", 0), ("生产", 2)]));
        assert_eq!(
            terms("不动产登记"),
            t(&[("不动", 0), ("产登", 2), ("登记", 3)])
        );
        assert_eq!(terms("青岚"), t(&[("青岚", 0)]));
        assert_eq!(
            terms("青政办发2025"),
            t(&[("青政", 0), ("办发", 2), ("2025", 4)])
        );
        assert_eq!(terms("12345热线"), t(&[("12345", 0), ("热线", 5)]));
    }

    #[test]
    fn paging_is_capped() {
        let mut q = Query::text("x");
        assert_eq!(paging(&q), (0, DEFAULT_LIMIT));
        q.limit = 1_000;
        q.offset = 1_000_000;
        assert_eq!(paging(&q), (MAX_OFFSET, MAX_LIMIT));
    }

    #[test]
    fn long_queries_are_cut() {
        let p = parse(&"政".repeat(500));
        assert_eq!(p.folded.chars().count(), MAX_QUERY_CHARS);
    }
}
