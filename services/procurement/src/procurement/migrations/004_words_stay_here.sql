-- Officers' and returnee representatives' own words stay in this database, never on the wire:
-- BudgetReviewed v2 and KitReviewedByReturnees v2 carry categories. These rows are written by
-- the command that appends the event; they are not read models (a rebuild leaves them alone),
-- and they can be deleted on request without touching any stream.

CREATE TABLE review_words (
    plan_id        uuid  NOT NULL,
    revision       int   NOT NULL,
    country_office text  NOT NULL,
    note           text,
    line_reasons   jsonb NOT NULL DEFAULT '{}',  -- {"<line number>": "<the officer's words>"}
    PRIMARY KEY (plan_id, revision)
);

CREATE TABLE kit_review_words (
    review_id      uuid  PRIMARY KEY,
    country_office text  NOT NULL,
    feedback       jsonb NOT NULL  -- the representatives' words, as they were said
);

-- A v2 review names itself; a v1 review is named by its event id, in a rebuild too.
ALTER TABLE kit_reviews ADD COLUMN review_id uuid;

-- Rows projected from v1 events held the words: keep them here, and leave the read models as
-- a projection of the upcast events would write them.
INSERT INTO review_words (plan_id, revision, country_office, note, line_reasons)
SELECT plan_id, revision, country_office, note,
       coalesce((SELECT jsonb_object_agg(n::text, l->>'reason')
                 FROM jsonb_array_elements(lines) WITH ORDINALITY AS t(l, n)
                 WHERE l->>'reason' IS NOT NULL), '{}')
FROM budget_reviews
WHERE note IS NOT NULL OR lines @? '$[*] ? (@.reason != null)';

UPDATE budget_reviews SET
    note = CASE WHEN note IS NULL THEN NULL ELSE 'other' END,
    lines = (SELECT jsonb_agg((l - 'reason') || jsonb_build_object(
                        'reasons', CASE WHEN l->>'reason' IS NULL THEN '[]'::jsonb
                                        ELSE '["other"]'::jsonb END,
                        'officer_reason', NULL) ORDER BY n)
             FROM jsonb_array_elements(lines) WITH ORDINALITY AS t(l, n));

INSERT INTO kit_review_words (review_id, country_office, feedback)
SELECT event_id, country_office, feedback FROM kit_reviews WHERE feedback <> '[]'::jsonb;

UPDATE kit_reviews SET
    review_id = event_id,
    feedback = CASE WHEN feedback = '[]'::jsonb THEN feedback ELSE '["other"]'::jsonb END;
