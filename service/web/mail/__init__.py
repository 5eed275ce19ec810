"""The pages and API of service/mail."""
