"""The partners service: the partner registry, data-sharing agreements, consent-gated feeds."""
