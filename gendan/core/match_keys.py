"""The keys two records are compared by to find the same person or company (查重).

One normaliser for every caller: the lead, customer and contact services store the keys in
indexed columns (`phone_key`, `email_key`, `company_key` / `name_key`), the migrations backfill
them, and the public lead forms (`capture/submission.py`) merge a repeated submission on them.
An empty key means "nothing to compare": a record with no phone never matches on phone.
"""

import re
import unicodedata

# A mainland mobile written with its country code: +86 / 0086 / 86 and 11 digits from 1.
_COUNTRY_CODES = ("0086", "86")
MOBILE_DIGITS = 11
MIN_PHONE_DIGITS = 5
KEY_LENGTH = 200

# Legal forms at the end of a company's name. The Chinese ones are cut from the end of the
# text, longest first (股份有限公司 before 有限公司), again and again (…集团股份有限公司); the
# English ones only as whole words ("Disco" keeps its "co").
CHINESE_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "分公司",
    "集团",
    "公司",
)
ENGLISH_SUFFIXES = re.compile(
    r"(?:[\s,.&()]*\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|gmbh|plc|"
    r"group|holdings)\b\.?)+[\s,.()]*$"
)
_NOT_WORD = re.compile(r"[\W_]+")


def phone_key(phone: str | None) -> str:
    """The digits of a phone number; a mobile's +86 / 0086 / 86 prefix is dropped, so
    "+86 138-0013-8000" and "13800138000" are one key. Fewer than 5 digits: no key."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if ch.isdigit())
    digits = digits.encode("ascii", "ignore").decode()
    for code in _COUNTRY_CODES:
        rest = digits[len(code) :]
        if digits.startswith(code) and len(rest) == MOBILE_DIGITS and rest.startswith("1"):
            digits = rest
            break
    return digits[:KEY_LENGTH] if len(digits) >= MIN_PHONE_DIGITS else ""


def email_key(email: str | None) -> str:
    """An e-mail address trimmed and in lower case."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()[:KEY_LENGTH]


def company_key(name: str | None) -> str:
    """A company's name without width, case, spaces, punctuation or its legal form:
    "上海启明软件有限公司", "上海启明软件" and "上海 启明软件（有限公司）" are one key, as are
    "Acme Co., Ltd." and "ACME". A name that is nothing but a legal form keeps it."""
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    text = ENGLISH_SUFFIXES.sub("", text) or text
    text = _NOT_WORD.sub("", text)
    while True:
        suffix = next((s for s in CHINESE_SUFFIXES if text.endswith(s) and text != s), None)
        if suffix is None or text in CHINESE_SUFFIXES:
            break
        text = text[: -len(suffix)]
    return text[:KEY_LENGTH]
