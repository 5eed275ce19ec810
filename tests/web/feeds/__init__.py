"""Tests of service/web/feeds."""
