"""Tests of service/web/access."""
