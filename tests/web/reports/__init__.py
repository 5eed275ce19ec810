"""Tests of service/web/reports."""
