-- A caseworker's explanation of a duplicate override may name people: vault only.
ALTER TABLE vault ADD COLUMN duplicate_override_note text;
