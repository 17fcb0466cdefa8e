"""What the training domain adds to the accounts below it: how a confirmed training-provider sign-up is completed."""
from portal.accounts import service as accounts
from portal.accounts.models import Role
from portal.training import service


def register() -> None:
    accounts.SIGNUP_FINISHERS[Role.provider] = service.finish_signup
