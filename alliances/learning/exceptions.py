from alliances.errors import ApplicationError


class LearningError(ApplicationError):
    """A refused action of the learning pillar, with a message for the person who tried it."""


class DeadlinePassedError(LearningError):
    """Graded work received after the learner's hard deadline."""
