-- A review the automatic check could not settle waits for an officer. Reviews recorded before
-- BudgetReviewed carried the field were complete: its default, false, is theirs too.
ALTER TABLE budget_reviews ADD COLUMN awaiting_officer boolean NOT NULL DEFAULT false;
