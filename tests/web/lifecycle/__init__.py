"""Tests of service/web/lifecycle."""
