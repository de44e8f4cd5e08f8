from alliances.errors import ApplicationError


class OrganizationError(ApplicationError):
    pass
