"""The pages and API of service/reports."""
