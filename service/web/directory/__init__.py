"""The pages and API of service/directory."""
