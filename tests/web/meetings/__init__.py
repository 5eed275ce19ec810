"""Tests of service/web/meetings."""
