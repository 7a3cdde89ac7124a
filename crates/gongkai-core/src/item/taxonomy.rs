//! The classification vocabularies of the catalog, shipped as data:
//! 主题分类 and 体裁 (`data/catalog-taxonomy.toml`) and the default
//! 公开目录栏目 tree (`data/catalog-columns.toml`). The files document their
//! sources; items store the stable keys, never the display names.

use crate::org::{OrgKind, OrgLevel};
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;

pub const TAXONOMY_TOML: &str = include_str!("../../data/catalog-taxonomy.toml");
pub const COLUMNS_TOML: &str = include_str!("../../data/catalog-columns.toml");

/// One 主题分类.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Topic {
    pub key: String,
    pub name: String,
}

/// One 体裁.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Genre {
    pub key: String,
    pub name: String,
}

/// The vocabularies an item form is validated against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Taxonomy {
    #[serde(rename = "topic")]
    pub topics: Vec<Topic>,
    #[serde(rename = "genre")]
    pub genres: Vec<Genre>,
}

impl Taxonomy {
    /// The shipped defaults.
    pub fn shipped() -> &'static Taxonomy {
        static T: OnceLock<Taxonomy> = OnceLock::new();
        // The shipped file is checked by a unit test; failing here would be a build defect.
        T.get_or_init(|| Self::from_toml(TAXONOMY_TOML).unwrap_or_default())
    }

    /// Parses the format of `data/catalog-taxonomy.toml`, refusing empty
    /// or duplicate keys and names.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let t: Taxonomy = toml::from_str(text).map_err(|e| e.to_string())?;
        check_unique(t.topics.iter().map(|x| (&x.key, &x.name)), "主题分类")?;
        check_unique(t.genres.iter().map(|x| (&x.key, &x.name)), "体裁")?;
        Ok(t)
    }

    /// A topic by key or by name.
    pub fn topic(&self, key_or_name: &str) -> Option<&Topic> {
        let s = key_or_name.trim();
        self.topics.iter().find(|t| t.key == s || t.name == s)
    }

    /// A genre by key or by name.
    pub fn genre(&self, key_or_name: &str) -> Option<&Genre> {
        let s = key_or_name.trim();
        self.genres.iter().find(|g| g.key == s || g.name == s)
    }

    /// The display name of a stored topic key; the key itself if the
    /// taxonomy no longer has it (so nothing disappears from a page).
    pub fn topic_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.topic(key).map_or(key, |t| t.name.as_str())
    }

    pub fn genre_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.genre(key).map_or(key, |g| g.name.as_str())
    }
}

fn check_unique<'a>(
    entries: impl Iterator<Item = (&'a String, &'a String)>,
    what: &str,
) -> Result<(), String> {
    let mut keys = HashSet::new();
    let mut names = HashSet::new();
    let mut n = 0;
    for (key, name) in entries {
        n += 1;
        if key.trim().is_empty() || name.trim().is_empty() {
            return Err(format!("{what}的键和名称不能为空"));
        }
        if !keys.insert(key) {
            return Err(format!("{what}键重复：{key}"));
        }
        if !names.insert(name) {
            return Err(format!("{what}名称重复：{name}"));
        }
    }
    if n == 0 {
        return Err(format!("{what}列表为空"));
    }
    Ok(())
}

/// One column of the default tree, before it is stored for an agency.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ColumnSeed {
    pub key: String,
    /// Key of the parent seed; parents come first in the list.
    pub parent: Option<String>,
    pub name: String,
    /// 公开依据 shown to staff, e.g. 第二十条（七）.
    pub basis: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawColumns {
    #[serde(default)]
    statutory: Vec<ColumnSeed>,
    #[serde(default)]
    township: Vec<ColumnSeed>,
}

impl RawColumns {
    fn parse(text: &str) -> Result<Self, String> {
        let c: RawColumns = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen: HashSet<&str> = HashSet::new();
        for s in c.statutory.iter().chain(&c.township) {
            if let Some(p) = &s.parent
                && !seen.contains(p.as_str())
            {
                return Err(format!("栏目 {} 的上级 {p} 未在其之前定义", s.key));
            }
            if !seen.insert(s.key.as_str()) {
                return Err(format!("栏目键重复：{}", s.key));
            }
        }
        Ok(c)
    }

    fn shipped() -> &'static RawColumns {
        static C: OnceLock<RawColumns> = OnceLock::new();
        C.get_or_init(|| Self::parse(COLUMNS_TOML).unwrap_or_default())
    }
}

/// Whether an agency gets the 基层政务公开标准目录 areas.
pub fn is_grassroots(kind: OrgKind, level: OrgLevel) -> bool {
    kind == OrgKind::TownshipStreet || level == OrgLevel::Township
}

/// The column tree an agency starts with: 法定主动公开内容 and its
/// subdivisions, plus the 基层政务公开标准目录 for townships and streets.
/// Parents come before their children.
pub fn default_columns(kind: OrgKind, level: OrgLevel) -> Vec<ColumnSeed> {
    let raw = RawColumns::shipped();
    let mut out = raw.statutory.clone();
    if is_grassroots(kind, level) {
        out.extend(raw.township.iter().cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_taxonomy_loads() {
        let t = Taxonomy::from_toml(TAXONOMY_TOML).unwrap();
        assert_eq!(t.topics.len(), 21);
        assert_eq!(t.topics[0].name, "综合政务");
        assert_eq!(t.topic("财政、金融、审计").unwrap().key, "finance");
        assert_eq!(t.genre("notice").unwrap().name, "通知");
        assert_eq!(Taxonomy::shipped(), &t);
        assert_eq!(t.topic_name("civil_affairs"), "民政、扶贫、救灾");
        assert_eq!(t.genre_name("retired_key"), "retired_key");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let text = "[[topic]]\nkey='a'\nname='甲'\n[[topic]]\nkey='a'\nname='乙'\n\
                    [[genre]]\nkey='g'\nname='通知'\n";
        assert_eq!(Taxonomy::from_toml(text).unwrap_err(), "主题分类键重复：a");
    }

    #[test]
    fn the_shipped_columns_load_with_parents_first() {
        let c = RawColumns::parse(COLUMNS_TOML).unwrap();
        assert_eq!(c.statutory[0].name, "法定主动公开内容");
        assert!(c.statutory[0].parent.is_none());
        let names: Vec<&str> = c.statutory.iter().map(|s| s.name.as_str()).collect();
        for n in [
            "机构职能",
            "政策文件",
            "规划计划",
            "财政信息",
            "人事信息",
            "重点领域信息",
        ] {
            assert!(names.contains(&n), "{n}");
        }
        assert_eq!(c.township.len(), 19);
    }

    #[test]
    fn only_townships_get_the_grassroots_areas() {
        let county = default_columns(OrgKind::Department, OrgLevel::County);
        assert!(county.iter().all(|s| s.key != "grassroots"));
        let town = default_columns(OrgKind::TownshipStreet, OrgLevel::Township);
        assert_eq!(town.len(), county.len() + 19);
        assert!(town.iter().any(|s| s.name == "涉农补贴"));
    }

    #[test]
    fn a_child_before_its_parent_is_refused() {
        let text =
            "[[statutory]]\nkey='b'\nparent='a'\nname='乙'\n[[statutory]]\nkey='a'\nname='甲'\n";
        assert!(RawColumns::parse(text).unwrap_err().contains("上级 a"));
    }
}
