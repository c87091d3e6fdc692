"""The office staff's app, served on the same origin as the services' APIs it calls."""
