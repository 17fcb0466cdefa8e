"""What the traineeships domain adds to the applications below it: a hire into a traineeship respects its base's
capacity."""
from portal.applications import service as applications
from portal.traineeships import service


def register() -> None:
    if service.hold_a_base_place not in applications.HIRE_CHECKS:
        applications.HIRE_CHECKS.append(service.hold_a_base_place)
