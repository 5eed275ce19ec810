"""The pages and API of service/access."""
