"""Every msgid the employer and position pages, services and schemas show has a zh_CN translation."""
import re

import pytest

from portal import i18n
from portal.employers import uscc
from portal.positions.routes import NOTICES
from tests.notifications.test_translations import python_msgids, template_msgids


@pytest.mark.parametrize("package", ["employers", "positions"])
def test_every_msgid_has_a_chinese_translation(package):
    catalogue = i18n.catalogue("zh_CN")
    # Chinese strings in the Python code are demo data (position titles), not messages.
    msgids = template_msgids(package) | {m for m in python_msgids(package) if not re.search("[\u4e00-\u9fff]", m)}
    assert msgids
    assert sorted(m for m in msgids if m not in catalogue) == []


def test_notices_and_uscc_messages_are_translated():
    catalogue = i18n.catalogue("zh_CN")
    messages = set(NOTICES.values())
    for code in ("123", "9144030070846113SV", "91440300708461136U"):
        with pytest.raises(uscc.InvalidUSCC) as caught:
            uscc.validate(code)
        messages.add(str(caught.value))
    assert sorted(m for m in messages if m not in catalogue) == []
