-- Items travel as catalogue codes (CatalogueItemPriced, KitDefined, KitOrdered, KitDelivered
-- v2, BudgetReviewed v3): their names in words stay here, by code, written by the command
-- that prices an item or defines a kit. An officer's specification of a line stays here too
-- (the event says only that the line is specified).

CREATE TABLE item_names (
    country_office text NOT NULL,
    item           text NOT NULL,  -- the code
    name           text NOT NULL,  -- the words
    PRIMARY KEY (country_office, item)
);

ALTER TABLE review_words ADD COLUMN line_specifications jsonb NOT NULL DEFAULT '{}';

-- Rows projected from older versions named items in words: keep the words, and key the rows by
-- the code a projection of the upcast events would (accents aside, which a rebuild settles).
INSERT INTO item_names (country_office, item, name)
SELECT country_office,
       btrim(regexp_replace(lower(item), '[^a-z0-9]+', '_', 'g'), '_'),
       item
FROM catalogue_prices
ON CONFLICT DO NOTHING;
UPDATE catalogue_prices SET item = btrim(regexp_replace(lower(item), '[^a-z0-9]+', '_', 'g'), '_'),
                            item_key = btrim(regexp_replace(lower(item), '[^a-z0-9]+', '_', 'g'), '_');

-- Reviews' lines are read back through the current model: their items become codes and their
-- specifications a flag, as the upcast events say (the words were the plan's, in committee).
UPDATE budget_reviews SET
    lines = (SELECT coalesce(jsonb_agg((l - 'specification') || jsonb_build_object(
                        'item', btrim(regexp_replace(lower(l->>'item'), '[^a-z0-9]+', '_', 'g'), '_'),
                        'specified', coalesce(btrim(l->>'specification'), '') <> '') ORDER BY n), '[]')
             FROM jsonb_array_elements(lines) WITH ORDINALITY AS t(l, n));
