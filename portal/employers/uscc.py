"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

An 18-character code:

    position 1      registration authority (登记管理部门码), e.g. 9 = market regulation (工商)
    position 2      organisation type (机构类别码), e.g. 1 = enterprise
    positions 3-8   administrative division (登记管理机关行政区划码), six digits, e.g. 120116 = 天津市滨海新区
    positions 9-17  organisation identity (主体标识码, the former GB 11714 organisation code)
    position 18     check character

The characters come from a 31-symbol alphabet (digits and capital letters without I, O, S, V, Z),
each worth its index. With weights W_i = 3^(i-1) mod 31, the check character is the symbol worth
31 - (sum of C_i * W_i for i = 1..17) mod 31, where 31 wraps to 0.
"""
import random
import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
_SHAPE = re.compile(rf"^[{ALPHABET}]{{2}}\d{{6}}[{ALPHABET}]{{10}}$")


class InvalidUSCC(ValueError):
    """Raised with an English msgid saying what is wrong with the code."""


def normalize(code: str) -> str:
    """Upper-cases and drops spaces and dashes people paste along with the code."""
    return re.sub(r"[\s\-]", "", code or "").upper()


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a code."""
    if len(first17) != 17 or any(char not in _VALUE for char in first17):
        raise InvalidUSCC("The first 17 characters must come from the code's alphabet.")
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Returns the normalised code, or raises InvalidUSCC with a message a person can act on."""
    code = normalize(code)
    if len(code) != 18:
        raise InvalidUSCC("A unified social credit code has 18 characters.")
    if not _SHAPE.match(code):
        raise InvalidUSCC(
            "A unified social credit code uses digits and capital letters except I, O, S, V and Z, "
            "and characters 3 to 8 are digits."
        )
    if check_character(code[:17]) != code[17]:
        raise InvalidUSCC("The check character does not match: please check the code for typing mistakes.")
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except InvalidUSCC:
        return False
    return True


def make_valid_uscc(
    *, rng: random.Random | None = None, authority: str = "9", kind: str = "1", division: str = "120116"
) -> str:
    """A code that passes the check, for tests and demo data (default: an enterprise in 滨海新区)."""
    rng = rng or random.Random()
    body = "".join(rng.choice(ALPHABET) for _ in range(9))
    first17 = f"{authority}{kind}{division}{body}"
    return first17 + check_character(first17)
