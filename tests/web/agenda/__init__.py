"""Tests of service/web/agenda."""
