"""Writes of `engagement`: debates (workflow and event), registrations, news articles."""
