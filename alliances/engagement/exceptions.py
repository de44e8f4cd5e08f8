from alliances.errors import ApplicationError


class EngagementError(ApplicationError):
    """A refused action on a debate, a registration or a news article."""


class DebateError(EngagementError):
    pass


class RegistrationError(EngagementError):
    pass


class ArticleError(EngagementError):
    pass
