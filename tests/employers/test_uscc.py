"""GB 32100-2015 check characters, against codes the companies themselves publish."""
import random

import pytest
from hypothesis import given, strategies as st

from portal.employers import uscc

# Printed on business licences and published in the national enterprise credit information system.
PUBLISHED_CODES = {
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    "914403001922038216": "华为技术有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
    "91110000802100433B": "北京百度网讯科技有限公司",
    "91330100716105852F": "阿里巴巴（中国）网络技术有限公司",
}


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_codes_are_valid(code):
    assert uscc.validate(code) == code
    assert uscc.check_character(code[:17]) == code[17]


def test_weights_are_powers_of_three_mod_31():
    assert uscc.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(uscc.ALPHABET) == 31 and not set("IOSVZ") & set(uscc.ALPHABET)


def test_a_check_value_of_31_wraps_to_zero():
    # 31 - (sum mod 31) is 31 when the sum is a multiple of 31; the standard maps that to "0".
    rng = random.Random(7)
    for _ in range(5000):
        code = uscc.make_valid_uscc(rng=rng)
        if code[17] == "0":
            assert uscc.is_valid(code)
            break
    else:  # pragma: no cover
        pytest.fail("no code with check character 0 in 5000 tries")


def test_lowercase_spaces_and_dashes_are_normalised():
    assert uscc.validate(" 91440300-708461136t ") == "91440300708461136T"


@pytest.mark.parametrize(
    "code, message",
    [
        ("9144030070846113", "18 characters"),
        ("91440300708461136TT", "18 characters"),
        ("91440300708461136I", "except I, O, S, V and Z"),
        ("914403O0708461136T", "except I, O, S, V and Z"),  # letter O in the division code
        ("9144030070846113SV", "except I, O, S, V and Z"),
        ("91440300708461136U", "check character"),
        ("91440300708461163T", "check character"),  # two digits swapped
    ],
)
def test_bad_codes_say_what_is_wrong(code, message):
    with pytest.raises(uscc.InvalidUSCC, match=message):
        uscc.validate(code)
    assert not uscc.is_valid(code)


@given(st.randoms(use_true_random=False))
def test_generated_codes_validate(rng):
    code = uscc.make_valid_uscc(rng=rng)
    assert uscc.is_valid(code) and code.startswith("91120116")


@given(st.randoms(use_true_random=False), st.integers(0, 16), st.sampled_from(uscc.ALPHABET))
def test_every_single_character_change_is_caught(rng, position, replacement):
    code = uscc.make_valid_uscc(rng=rng)
    if code[position] == replacement or (2 <= position <= 7 and not replacement.isdigit()):
        return
    changed = code[:position] + replacement + code[position + 1:]
    assert not uscc.is_valid(changed)
