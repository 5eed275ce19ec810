"""The pages and API of service/lifecycle."""
