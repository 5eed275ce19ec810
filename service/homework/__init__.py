"""Homework between meetings: set by the chair or secretariat, answered per city, summarised."""
