-- The public catalog as a narrow table: one row per item whose public
-- version is 主动公开, holding what the listings filter and sort by.
-- Reading these columns from `item_versions` walked the body's overflow
-- pages of every candidate row, so a filtered listing grew with the whole
-- catalog (0.75 s at 1,000,000 items). The store rewrites an item's row in
-- the same transaction that publishes, corrects, withdraws or imports it.
CREATE TABLE catalog_entries (
    item_id       INTEGER PRIMARY KEY REFERENCES items (id),
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    published_on  DATE NOT NULL,
    column_id     INTEGER NOT NULL REFERENCES item_columns (id),
    topic         TEXT NOT NULL,
    genre         TEXT NOT NULL,
    doc_kind      TEXT NOT NULL,
    validity      TEXT NOT NULL
);

-- Filled before the indexes are built: one sort per index instead of
-- an index insertion per row.
INSERT INTO catalog_entries
    (item_id, org_id, published_on, column_id, topic, genre, doc_kind, validity)
SELECT i.id, i.org_id, i.first_published_on, v.column_id, v.topic, v.genre, v.doc_kind, v.validity
FROM items i
JOIN item_versions v ON v.item_id = i.id AND v.version = i.public_version
WHERE v.disclosure = 'proactive';

-- Catalog order (发布日期 descending, then id descending) overall and
-- after each filter's equality, so a filtered page walks one index and
-- stops. Each index also carries the other filter columns: whichever
-- filter the planner starts from, the rest are checked inside the index
-- rather than by a lookup into the table per candidate (kind + validity
-- + year at 1,000,000 items: 310 ms with indexes of just
-- (filter, published_on, item_id), 16 ms with these).
CREATE INDEX catalog_entries_order_idx ON catalog_entries
    (published_on, item_id, org_id, column_id, topic, genre, doc_kind, validity);
CREATE INDEX catalog_entries_org_idx ON catalog_entries
    (org_id, published_on, item_id, column_id, topic, genre, doc_kind, validity);
CREATE INDEX catalog_entries_column_idx ON catalog_entries
    (column_id, published_on, item_id, org_id, topic, genre, doc_kind, validity);
CREATE INDEX catalog_entries_topic_idx ON catalog_entries
    (topic, published_on, item_id, org_id, column_id, genre, doc_kind, validity);
CREATE INDEX catalog_entries_genre_idx ON catalog_entries
    (genre, published_on, item_id, org_id, column_id, topic, doc_kind, validity);
CREATE INDEX catalog_entries_kind_idx ON catalog_entries
    (doc_kind, published_on, item_id, org_id, column_id, topic, genre, validity);
CREATE INDEX catalog_entries_validity_idx ON catalog_entries
    (validity, published_on, item_id, org_id, column_id, topic, genre, doc_kind);

-- Superseded by the indexes above: the listings no longer read `items`
-- or `item_versions` to choose a page.
DROP INDEX items_catalog_order_idx;
DROP INDEX item_versions_column_idx;
