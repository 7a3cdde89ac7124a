-- Catalog order (发布日期 descending, then id descending) over public
-- items. The jurisdiction listing, its feed and the API walk
-- `items_catalog_order_idx` and stop after a page instead of sorting the
-- whole catalog; keyset paging ("after this entry") seeks into it. The
-- per-agency index gains the id for the same reason within an agency.
DROP INDEX items_catalog_idx;
CREATE INDEX items_catalog_idx ON items (org_id, first_published_on, id);
CREATE INDEX items_catalog_order_idx ON items (first_published_on, id)
    WHERE public_version IS NOT NULL;

-- The jurisdiction view filters by a column key across every agency's tree
-- (with sub-columns): one indexed lookup per key and per tree level.
CREATE INDEX item_columns_key_idx ON item_columns (key);
CREATE INDEX item_columns_parent_idx ON item_columns (parent_id);
-- A column filter (an agency's column with its sub-columns) finds its few
-- versions directly instead of walking the whole catalog.
CREATE INDEX item_versions_column_idx ON item_versions (column_id);
