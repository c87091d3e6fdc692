"""Read-side queries: the answers of the API (views) and the facts commands need (upstream)."""
