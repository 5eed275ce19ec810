"""The pages and API of service/minutes."""
