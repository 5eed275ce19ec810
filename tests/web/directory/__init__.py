"""Tests of service/web/directory."""
