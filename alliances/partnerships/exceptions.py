from alliances.errors import ApplicationError


class PartnershipError(ApplicationError):
    pass
