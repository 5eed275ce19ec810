"""Tests of service/web/minutes."""
