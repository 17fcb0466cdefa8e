"""Every msgid the event, presentation, interview and notice pages, services and schemas show has a zh_CN
translation, and so do their coded values."""
import re

import pytest

from portal import i18n
from portal.labels import LABELS
from tests.notifications.test_translations import python_msgids, template_msgids


@pytest.mark.parametrize("package", ["fairs", "presentations", "interviews", "notices"])
def test_every_msgid_has_a_chinese_translation(package):
    catalogue = i18n.catalogue("zh_CN")
    # Chinese strings in the Python code are demo data (titles of the demo fairs), not messages.
    msgids = template_msgids(package) | {m for m in python_msgids(package) if not re.search("[\u4e00-\u9fff]", m)}
    assert msgids
    assert sorted(m for m in msgids if m not in catalogue) == []


def test_statuses_and_kinds_are_translated():
    catalogue = i18n.catalogue("zh_CN")
    coded = ["proposed", "scheduled", "completed", "cancelled", "requested", "approved", "rejected", "pending_review",
             "policy", "news", "guide", "offer"]
    assert sorted(value for value in coded if LABELS[value] not in catalogue) == []
