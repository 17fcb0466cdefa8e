"""What the employers domain adds to the accounts below it: how a confirmed employer sign-up is completed."""
from portal.accounts import service as accounts
from portal.accounts.models import Role
from portal.employers import service


def register() -> None:
    accounts.SIGNUP_FINISHERS[Role.employer] = service.finish_signup
