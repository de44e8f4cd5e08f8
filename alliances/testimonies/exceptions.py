from alliances.errors import ApplicationError


class TestimonyError(ApplicationError):
    """A testimony action refused: a transition not allowed, a missing note, a field invalid."""
