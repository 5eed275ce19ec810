"""The pages and API of service/audit."""
