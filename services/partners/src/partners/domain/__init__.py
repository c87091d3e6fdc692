"""The partners service's rules, pure: registry and agreements, feeds, delivery."""
