"""Writes of the learning pillar, one module per part of the domain."""
