"""The pages and API of service/agenda."""
