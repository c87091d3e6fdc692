"""The programme service: each country office's programme, set by its manager as events."""
