//! Suggestions for an empty query or one that found nothing, computed from
//! the indexed titles. Every suggestion offered for a query is checked to
//! find something under the same filters.
//!
//! - **Spelling** (纠错): a query word (or unit) that occurs nowhere is
//!   replaced by a title word at edit distance 1, most frequent first
//!   (正务公开 → 政务公开).
//! - **Broader** (放宽): of several query parts, the ones that do occur.
//! - **Related** (相关): words frequent in the titles of items whose title
//!   shares a jieba word with the query, weighted by rarity (so 通知 and
//!   关于 do not crowd out 养老服务).
//! - **Popular** (热门, empty query): the same weighting over the newest
//!   titles.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Order, Searcher, TantivyDocument, Term};

use crate::analysis::{cut_search_words, cut_words};
use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::normalise::normalise;
use crate::search::{Parsed, Query, and, unit_query};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// 您是不是要找
    Spelling,
    /// Fewer words
    Broader,
    /// 相关检索
    Related,
    /// 热门检索 (empty query)
    Popular,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Query text to offer (simplified, folded).
    pub text: String,
    pub kind: SuggestionKind,
}

const MAX_SUGGESTIONS: usize = 8;
const MAX_RELATED: usize = 5;
const MAX_POPULAR: usize = 8;
/// Title samples read for related/popular words.
const SAMPLE: usize = 200;
/// Fuzzy candidates tried per misspelt word.
const FUZZY_CANDIDATES: usize = 5;

type Filters = [(Occur, Box<dyn TQuery>)];

/// Filter set → (searcher generation, popular words).
pub(crate) type PopularCache = HashMap<String, (u64, Vec<Suggestion>)>;
const POPULAR_CACHE_ENTRIES: usize = 256;

impl SearchIndex {
    pub(crate) fn suggest(
        &self,
        searcher: &Searcher,
        p: &Parsed,
        filters: &Filters,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let mut out: Vec<Suggestion> = Vec::new();
        let push = |out: &mut Vec<Suggestion>, text: String, kind| {
            if !text.is_empty() && text != p.folded && !out.iter().any(|s| s.text == text) {
                out.push(Suggestion { text, kind });
            }
        };

        // Spelling: longest first, so a whole unit (政务公开) is corrected
        // before its parts.
        let mut pieces: Vec<&String> = p
            .units
            .iter()
            .chain(p.words.iter())
            .filter(|w| w.chars().count() >= 2)
            .collect();
        pieces.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        pieces.dedup();
        let mut tried = 0;
        for piece in pieces {
            if tried >= 4 || out.len() >= 2 {
                break;
            }
            if self.occurs(searcher, piece, filters)? {
                continue;
            }
            tried += 1;
            for cand in self.near_title_words(searcher, piece)? {
                let text = p.folded.replacen(piece.as_str(), &cand, 1);
                if self.count_text(searcher, &text, filters)? > 0 {
                    push(&mut out, text, SuggestionKind::Spelling);
                    break;
                }
            }
        }

        // Broader: drop the parts that occur nowhere.
        if p.units.len() > 1 {
            let mut kept = Vec::new();
            for u in &p.units {
                if self.occurs(searcher, u, filters)? {
                    kept.push(u.as_str());
                }
            }
            if !kept.is_empty() && kept.len() < p.units.len() {
                let text = kept.join(" ");
                if self.count_text(searcher, &text, filters)? > 0 {
                    push(&mut out, text, SuggestionKind::Broader);
                }
            }
        }

        // Related: titles sharing a word with the query.
        let mut shared: Vec<String> = cut_search_words(&p.folded)
            .into_iter()
            .filter(|w| w.chars().count() >= 2)
            .collect();
        shared.sort();
        shared.dedup();
        if !shared.is_empty() {
            let f = self.fields.title;
            let any: Vec<(Occur, Box<dyn TQuery>)> = shared
                .iter()
                .map(|w| {
                    let q =
                        TermQuery::new(Term::from_field_text(f, w), IndexRecordOption::WithFreqs);
                    (Occur::Should, Box::new(q) as Box<dyn TQuery>)
                })
                .collect();
            let q = and(clone(filters), Box::new(BooleanQuery::new(any)));
            let top = searcher.search(q.as_ref(), &TopDocs::with_limit(SAMPLE).order_by_score())?;
            let docs = top.into_iter().map(|(_, a)| a);
            let exclude: Vec<&str> = p
                .words
                .iter()
                .chain(shared.iter())
                .map(String::as_str)
                .collect();
            for w in self.weighted_title_words(searcher, docs, &exclude, 1)? {
                if out.len() >= MAX_SUGGESTIONS
                    || out
                        .iter()
                        .filter(|s| s.kind == SuggestionKind::Related)
                        .count()
                        >= MAX_RELATED
                {
                    break;
                }
                push(&mut out, w, SuggestionKind::Related);
            }
        }
        out.truncate(MAX_SUGGESTIONS);
        Ok(out)
    }

    /// [`popular`](Self::popular), remembered per filter set until the next
    /// commit: an empty query is what every catalog listing asks, and the
    /// words only change when the contents do.
    pub(crate) fn popular_cached(
        &self,
        searcher: &Searcher,
        q: &Query,
        filters: &Filters,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let key = format!(
            "{:?}",
            (
                &q.org_ids,
                q.column_id,
                &q.topic,
                &q.genre,
                &q.file_type,
                &q.validity,
                q.year
            )
        );
        let generation = searcher.generation().generation_id();
        let cached = |cache: &PopularCache| {
            cache
                .get(&key)
                .filter(|(g, _)| *g == generation)
                .map(|(_, v)| v.clone())
        };
        if let Some(v) = cached(&self.popular_cache()) {
            return Ok(v);
        }
        let words = self.popular(searcher, filters)?;
        let mut cache = self.popular_cache();
        if cache.len() >= POPULAR_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, (generation, words.clone()));
        Ok(words)
    }

    /// Frequent, distinctive words of the newest titles.
    pub(crate) fn popular(
        &self,
        searcher: &Searcher,
        filters: &Filters,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let q = and(clone(filters), Box::new(tantivy::query::AllQuery));
        let top = searcher.search(
            q.as_ref(),
            &TopDocs::with_limit(SAMPLE).order_by_u64_field("date_key", Order::Desc),
        )?;
        let words = self.weighted_title_words(searcher, top.into_iter().map(|(_, a)| a), &[], 2)?;
        Ok(words
            .into_iter()
            .take(MAX_POPULAR)
            .map(|text| Suggestion {
                text,
                kind: SuggestionKind::Popular,
            })
            .collect())
    }

    fn occurs(
        &self,
        searcher: &Searcher,
        piece: &str,
        filters: &Filters,
    ) -> Result<bool, SearchError> {
        let Some(q) = unit_query(self.fields.grams, piece) else {
            return Ok(false);
        };
        let q = and(clone(filters), q);
        Ok(searcher.search(q.as_ref(), &tantivy::collector::Count)? > 0)
    }

    /// Title words at edit distance 1 from `word`, most frequent first.
    fn near_title_words(
        &self,
        searcher: &Searcher,
        word: &str,
    ) -> Result<Vec<String>, SearchError> {
        let term = Term::from_field_text(self.fields.title, word);
        let automaton = FuzzyTermQuery::new(term, 1, true).automaton()?;
        let mut freq: HashMap<String, u64> = HashMap::new();
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(self.fields.title)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let Ok(t) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if t != word && t.chars().count() >= 2 {
                    *freq.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut v: Vec<(String, u64)> = freq.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(v.into_iter()
            .take(FUZZY_CANDIDATES)
            .map(|(t, _)| t)
            .collect())
    }

    /// Words (two characters or more, not bare numbers) of the given items'
    /// titles, scored by how often they occur there times how rare they are
    /// in all titles; words seen fewer than `min_count` times are dropped.
    fn weighted_title_words(
        &self,
        searcher: &Searcher,
        docs: impl Iterator<Item = tantivy::DocAddress>,
        exclude: &[&str],
        min_count: u64,
    ) -> Result<Vec<String>, SearchError> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for addr in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let title = doc
                .get_first(self.fields.title)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let mut seen: Vec<String> = Vec::new();
            for w in cut_words(&normalise(title)) {
                let meaningful = w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit());
                if meaningful && !exclude.contains(&w.as_str()) && !seen.contains(&w) {
                    seen.push(w);
                }
            }
            for w in seen {
                *counts.entry(w).or_default() += 1;
            }
        }
        let n = searcher.num_docs().max(1) as f64;
        let mut scored: Vec<(String, f64)> = Vec::new();
        for (w, c) in counts {
            if c < min_count {
                continue;
            }
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.title, &w))?;
            let idf = (n / (df.max(1) as f64)).ln().max(0.01);
            scored.push((w, c as f64 * idf));
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(scored.into_iter().map(|(w, _)| w).collect())
    }
}

fn clone(c: &Filters) -> Vec<(Occur, Box<dyn TQuery>)> {
    c.iter().map(|(o, q)| (*o, q.box_clone())).collect()
}
