"""Every msgid that agreements and destinations show has a zh_CN translation."""
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
    from portal.agreements import service, signing
    from portal.destinations import categories, service as destinations, transfers

    catalogue = i18n.catalogue("zh_CN")
    msgids = {c.label for c in categories.all_categories()}
    msgids |= set(service._NOT_YOUR_TURN.values()) | set(transfers._NOTICES.values())
    msgids |= set(destinations.DIMENSION_LABELS.values())
    msgids |= {LABELS[k] for k in ("awaiting_graduate", "awaiting_school", "signed", "cancelled", "signed_school",
                                   "cancel_approved", "reported", "confirmed", "personnel_file", "talent_service")}
    source = inspect.getsource(service.fabrication_flags) + inspect.getsource(signing.verify_pdf)
    msgids |= set(re.findall(r'Flag\("\w+", "([^"]+)"', source)) | set(re.findall(r'problems\.append\("([^"]+)"\)', source))
    msgids |= set(re.findall(r'error="([^"]+)"', inspect.getsource(signing)))
    assert sorted(m for m in msgids if m not in catalogue) == []
