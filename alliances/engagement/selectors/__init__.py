"""Reads of `engagement`, and the `access_*` fetches that decide who sees what."""
