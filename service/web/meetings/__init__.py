"""The pages and API of service/meetings."""
