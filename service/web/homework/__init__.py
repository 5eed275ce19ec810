"""Homework pages and API: the member's form behind a personal link, the chair's pages."""
