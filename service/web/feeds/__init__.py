"""The pages and API of service/feeds."""
