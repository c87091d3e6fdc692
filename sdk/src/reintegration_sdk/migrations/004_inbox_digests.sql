-- What each applied event said, so that another event reusing its id (a producer's bug or a
-- forged record) is told apart from a redelivery and dead-lettered instead of ignored.
-- Rows applied before this column existed keep NULL: their redeliveries are trusted as before.
ALTER TABLE inbox ADD COLUMN digest bytea;
