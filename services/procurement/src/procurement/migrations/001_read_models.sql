-- Read models of procurement's own events: rebuildable by replaying the event store.

CREATE TABLE catalogue_prices (
    country_office text    NOT NULL,
    item_key       text    NOT NULL,
    item           text    NOT NULL,
    unit           text    NOT NULL,
    unit_price     bigint  NOT NULL,
    supplier       text    NOT NULL,
    currency       text    NOT NULL,
    priced_at      timestamptz NOT NULL,
    PRIMARY KEY (country_office, item_key)
);

CREATE TABLE price_tolerances (
    country_office    text PRIMARY KEY,
    tolerance_percent int  NOT NULL
);

CREATE TABLE kit_versions (
    country_office text  NOT NULL,
    trade          text  NOT NULL,
    kit_version    int   NOT NULL,
    items          jsonb NOT NULL,
    defined_at     timestamptz NOT NULL,
    PRIMARY KEY (country_office, trade, kit_version)
);

CREATE TABLE kit_reviews (
    event_id       uuid PRIMARY KEY,
    country_office text    NOT NULL,
    trade          text    NOT NULL,
    kit_version    int     NOT NULL,
    reviewed_on    date    NOT NULL,
    endorsed       boolean NOT NULL,
    feedback       jsonb   NOT NULL
);
CREATE INDEX kit_reviews_by_kit ON kit_reviews (country_office, trade, kit_version);

-- Every revision is kept: the first is the automatic review, the others an officer's.
CREATE TABLE budget_reviews (
    plan_id           uuid   NOT NULL,
    revision          int    NOT NULL,
    country_office    text   NOT NULL,
    review_id         uuid   NOT NULL,
    reviewed_on       date   NOT NULL,
    reviewer          text   NOT NULL,
    lines             jsonb  NOT NULL,
    flagged_lines     int    NOT NULL,
    submitted_total   bigint NOT NULL,
    reviewed_total    bigint NOT NULL,
    currency          text   NOT NULL,
    tolerance_percent int,
    note              text,
    PRIMARY KEY (plan_id, revision)
);
CREATE INDEX budget_reviews_by_office ON budget_reviews (country_office, reviewed_on);

CREATE TABLE kit_orders (
    order_id        uuid PRIMARY KEY,
    country_office  text   NOT NULL,
    basis           text   NOT NULL,
    plan_id         uuid,
    beneficiary_ids uuid[] NOT NULL,
    trade           text   NOT NULL,
    kit_version     int,
    lines           jsonb  NOT NULL,
    total           bigint NOT NULL,
    currency        text   NOT NULL,
    ordered_on      date   NOT NULL,
    authorised_on   date,
    delivered_on    date,
    delivered_items jsonb,
    delivered_value bigint,
    acknowledged    boolean
);
CREATE INDEX kit_orders_by_office ON kit_orders (country_office, ordered_on);
