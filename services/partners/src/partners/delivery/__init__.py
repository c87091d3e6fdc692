"""Delivery of each partner's feed: Kafka, signed webhooks, and (in the API) a pull feed."""
