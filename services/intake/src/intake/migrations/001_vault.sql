-- The personal-data vault: the only place that links a pseudonymous returnee id to a person.
-- Nothing here is ever copied into an event; erasure deletes the row and its notes.
CREATE TABLE vault (
    returnee_id      uuid PRIMARY KEY,
    country_office   text NOT NULL,
    given_names      text NOT NULL,
    family_name      text NOT NULL,
    birth_date       date NOT NULL,
    phone            text,
    phone_tail       text,            -- last digits, to find the same line however it is written
    address          text,
    document_kind    text,
    document_number  text,
    document_key     text,            -- upper-case letters and digits only
    notes            text,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
-- The duplicate check looks a person up within their office by each of these.
CREATE INDEX vault_by_birth_date ON vault (country_office, birth_date);
CREATE INDEX vault_by_phone ON vault (country_office, phone_tail) WHERE phone_tail IS NOT NULL;
CREATE INDEX vault_by_document ON vault (country_office, document_key)
    WHERE document_key IS NOT NULL;

-- Free-text notes of counselling interviews are about a person: they live in the vault too.
CREATE TABLE vault_interview_notes (
    id              bigserial PRIMARY KEY,
    returnee_id     uuid NOT NULL REFERENCES vault (returnee_id) ON DELETE CASCADE,
    interviewed_on  date NOT NULL,
    note            text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vault_interview_notes_by_returnee ON vault_interview_notes (returnee_id);
