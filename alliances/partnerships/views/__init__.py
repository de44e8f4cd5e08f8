"""The partnership workspace: list, record, roadmap, invitations, evaluation, history.

Every page goes through `selectors.access_partnership` (a 404 for anyone who is not a
member of either partner) and every change through one service.
"""
