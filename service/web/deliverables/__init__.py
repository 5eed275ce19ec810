"""The pages and API of service/deliverables."""
