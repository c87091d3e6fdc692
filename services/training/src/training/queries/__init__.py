"""Read-side queries: each returns rows of a view model, one office at a time."""
