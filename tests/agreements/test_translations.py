"""Every msgid that agreements and destinations show has a zh_CN translation."""
import ast
import inspect
import re

import pytest

from portal import i18n
from portal.labels import LABELS
from tests.notifications.test_translations import python_msgids, template_msgids


@pytest.mark.parametrize("package", ["agreements", "destinations"])
def test_every_msgid_has_a_chinese_translation(package):
    catalogue = i18n.catalogue("zh_CN")
    msgids = template_msgids(package) | python_msgids(package)
    assert msgids
    assert sorted(m for m in msgids if m not in catalogue) == []


def test_messages_kept_in_tables_are_translated():
    from portal.agreements import revisions, service, signing, verification
    from portal.destinations import categories, service as destinations, transfers

    catalogue = i18n.catalogue("zh_CN")
    msgids = {c.label for c in categories.all_categories()}
    msgids |= set(service._NOT_YOUR_TURN.values()) | set(transfers._NOTICES.values())
    msgids |= {grouping.label for grouping in destinations.GROUPINGS.values()}
    msgids |= {LABELS[k] for k in ("awaiting_graduate", "awaiting_school", "signed", "cancelled", "signed_school",
                                   "cancel_approved", "reported", "confirmed", "personnel_file", "talent_service")}
    source = inspect.getsource(service.fabrication_flags) + inspect.getsource(signing)
    msgids |= set(re.findall(r'Flag\("\w+", "([^"]+)"', source)) | set(re.findall(r'problems\.append\("([^"]+)"\)', source))
    msgids |= set(re.findall(r'error="([^"]+)"', inspect.getsource(signing)))
    msgids |= set(verification.STEPS.values()) | set(verification.VERDICT_MESSAGES.values())
    msgids |= constant_arguments(revisions, "Change", 1) | constant_arguments(verification, "gettext", 0)
    assert sorted(m for m in msgids if m not in catalogue) == []


def constant_arguments(module, function: str, position: int) -> set[str]:
    """The string constants passed as the given argument of every call to `function` in a module."""
    return {node.args[position].value for node in ast.walk(ast.parse(inspect.getsource(module)))
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == function
            and len(node.args) > position and isinstance(node.args[position], ast.Constant)}
