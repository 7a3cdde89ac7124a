//! Facet counts over the whole filtered hit set (not just the page), read
//! from fast columns: agency, 主题分类, year, 有效性.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per facet value, largest first (years: newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub agencies: Vec<AgencyCount>,
    pub topics: Vec<ValueCount>,
    pub years: Vec<YearCount>,
    pub validity: Vec<ValueCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyCount {
    pub org_id: i64,
    pub org_name: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCount {
    pub year: i32,
    pub count: u64,
}

#[derive(Default)]
pub(crate) struct FacetCounts {
    org: HashMap<String, u64>,
    topic: HashMap<String, u64>,
    year: HashMap<i64, u64>,
    validity: HashMap<String, u64>,
}

impl FacetCounts {
    pub(crate) fn into_facets(self) -> Facets {
        let mut agencies: Vec<AgencyCount> = self
            .org
            .into_iter()
            .filter_map(|(k, count)| {
                let (id, name) = k.split_once('\u{1f}')?;
                Some(AgencyCount {
                    org_id: id.parse().ok()?,
                    org_name: name.to_string(),
                    count,
                })
            })
            .collect();
        agencies.sort_by(|a, b| b.count.cmp(&a.count).then(a.org_id.cmp(&b.org_id)));
        let values = |m: HashMap<String, u64>| {
            let mut v: Vec<ValueCount> = m
                .into_iter()
                .map(|(value, count)| ValueCount { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v
        };
        let mut years: Vec<YearCount> = self
            .year
            .into_iter()
            .filter_map(|(y, count)| {
                Some(YearCount {
                    year: i32::try_from(y).ok()?,
                    count,
                })
            })
            .collect();
        years.sort_by_key(|y| std::cmp::Reverse(y.year));
        Facets {
            agencies,
            topics: values(self.topic),
            years,
            validity: values(self.validity),
        }
    }
}

pub(crate) struct FacetCollector;

/// Docs are buffered and their column values read in blocks: for a common
/// word the facets visit tens of thousands of docs, and block reads are
/// several times cheaper than one lookup per doc.
const BLOCK: usize = 512;
/// Years counted in a flat array; others (never seen in a catalog, but
/// not to be lost) in a map.
const FIRST_YEAR: i64 = 1800;
const YEARS: usize = 400;

pub(crate) struct FacetSegment {
    org: Option<StrColumn>,
    topic: Option<StrColumn>,
    validity: Option<StrColumn>,
    year: Column<i64>,
    // Indexed by term ordinal: ordinals are dense per segment.
    org_counts: Vec<u64>,
    topic_counts: Vec<u64>,
    validity_counts: Vec<u64>,
    year_counts: Vec<u64>,
    other_years: HashMap<i64, u64>,
    docs: Vec<DocId>,
    ords: Vec<Option<u64>>,
    years: Vec<Option<i64>>,
}

fn ord_counts(col: &Option<StrColumn>) -> Vec<u64> {
    vec![0; col.as_ref().map_or(0, |c| c.num_terms())]
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let ff = segment.fast_fields();
        let org = ff.str("org_facet")?;
        let topic = ff.str("topic")?;
        let validity = ff.str("validity")?;
        Ok(FacetSegment {
            org_counts: ord_counts(&org),
            topic_counts: ord_counts(&topic),
            validity_counts: ord_counts(&validity),
            org,
            topic,
            validity,
            year: ff.i64("year")?,
            year_counts: vec![0; YEARS],
            other_years: HashMap::new(),
            docs: Vec::with_capacity(BLOCK),
            ords: Vec::with_capacity(BLOCK),
            years: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut all = FacetCounts::default();
        for f in fruits {
            for (k, n) in f.org {
                *all.org.entry(k).or_default() += n;
            }
            for (k, n) in f.topic {
                *all.topic.entry(k).or_default() += n;
            }
            for (k, n) in f.year {
                *all.year.entry(k).or_default() += n;
            }
            for (k, n) in f.validity {
                *all.validity.entry(k).or_default() += n;
            }
        }
        Ok(all)
    }
}

fn count_ords(
    col: &Option<StrColumn>,
    docs: &[DocId],
    scratch: &mut Vec<Option<u64>>,
    counts: &mut [u64],
) {
    let Some(c) = col else { return };
    scratch.clear();
    scratch.resize(docs.len(), None);
    c.ords().first_vals(docs, scratch);
    for ord in scratch.iter().flatten() {
        if let Some(n) = usize::try_from(*ord).ok().and_then(|o| counts.get_mut(o)) {
            *n += 1;
        }
    }
}

fn resolve(col: Option<StrColumn>, counts: Vec<u64>) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    let Some(col) = col else { return out };
    let mut buf = String::new();
    for (ord, n) in counts.into_iter().enumerate() {
        if n == 0 {
            continue;
        }
        if let Ok(true) = col.ord_to_str(ord as u64, &mut buf) {
            *out.entry(buf.clone()).or_default() += n;
        }
    }
    out
}

impl FacetSegment {
    fn flush(&mut self) {
        let docs = &self.docs;
        count_ords(&self.org, docs, &mut self.ords, &mut self.org_counts);
        count_ords(&self.topic, docs, &mut self.ords, &mut self.topic_counts);
        count_ords(
            &self.validity,
            docs,
            &mut self.ords,
            &mut self.validity_counts,
        );
        self.years.clear();
        self.years.resize(docs.len(), None);
        self.year.first_vals(docs, &mut self.years);
        for y in self.years.iter().flatten() {
            match usize::try_from(y - FIRST_YEAR).ok().filter(|i| *i < YEARS) {
                Some(i) => self.year_counts[i] += 1,
                None => *self.other_years.entry(*y).or_default() += 1,
            }
        }
        self.docs.clear();
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.docs.push(doc);
        if self.docs.len() == BLOCK {
            self.flush();
        }
    }

    fn harvest(mut self) -> FacetCounts {
        self.flush();
        let mut year = self.other_years;
        for (i, n) in self.year_counts.iter().enumerate() {
            if *n > 0 {
                *year.entry(FIRST_YEAR + i as i64).or_default() += n;
            }
        }
        FacetCounts {
            org: resolve(self.org, self.org_counts),
            topic: resolve(self.topic, self.topic_counts),
            year,
            validity: resolve(self.validity, self.validity_counts),
        }
    }
}
