"""Meeting materials on pages and in the API."""
