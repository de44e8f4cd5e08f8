from alliances.errors import ApplicationError


class AccountError(ApplicationError):
    pass
