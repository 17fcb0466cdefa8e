"""Errors that services raise. Messages are English msgids, translated where they are shown."""


class ServiceError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Forbidden(ServiceError):
    status_code = 403
    code = "forbidden"


class Conflict(ServiceError):
    status_code = 409
    code = "conflict"


class Invalid(ServiceError):
    status_code = 422
    code = "invalid"


class TooManyRequests(ServiceError):
    status_code = 429
    code = "too_many_requests"


class NotAuthenticated(ServiceError):
    status_code = 401
    code = "not_authenticated"
