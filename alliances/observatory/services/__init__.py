"""Writes of the observatory: codebooks, imports, margins and weightings.

Each module holds the services of one entity; import them from their module
(`from alliances.observatory.services import imports`).
"""
