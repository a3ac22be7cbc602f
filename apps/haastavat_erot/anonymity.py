"""Finding what identifies a family in free text: Finnish personal identity codes (with a valid
check character), phone numbers, e-mail addresses and the names already recorded for the family.

Used to refuse such text in an anonymous case (forms.py) and to redact it when the guardians
withdraw their consent (purge.py)."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
                 "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}
IDENTITY_CODE_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Za-z])(?![0-9A-Za-z])")
# Finnish and international numbers: +358 40 123 4567, 040-123 4567, (09) 310 1234, 0401234567.
PHONE_RE = re.compile(r"(?<![\w.,/])(?:\+\d{1,3}|00\d{1,3}|\(0\d{1,3}\)|0\d{1,3})(?:[ \-]?\d){5,10}(?![\w.,/]\d)")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Common Finnish case endings of a name, so "Mattin", "Annalle" and "Virtaselta" are found too.
NAME_ENDINGS = r"(?::?(?:n|a|ä|ta|tä|na|nä|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|in|han|hen|hin|ine|t|ni|si))?"
REDACTED = "[…]"


def identity_code_is_valid(value):
    """Return True if `value` is a Finnish personal identity code with a valid date and check character."""
    match = IDENTITY_CODE_RE.fullmatch(value.strip().upper())
    if not match:
        return False
    birth, sign, individual, check = match.groups()
    try:
        date(CENTURY_SIGNS[sign] + int(birth[4:6]), int(birth[2:4]), int(birth[0:2]))
    except ValueError:
        return False
    if not 2 <= int(individual) <= 999:
        return False
    return CHECK_CHARACTERS[int(birth + individual) % 31] == check


def validate_identity_code(value):
    if value and not identity_code_is_valid(value):
        raise ValidationError(_("Check the personal identity code: it is not valid."), code="invalid_identity_code")


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int


def _name_tokens(names):
    tokens = set()
    for name in names:
        for token in re.split(r"[\s\-,.]+", name or ""):
            if len(token) >= 3:
                tokens.add(token)
    return sorted(tokens, key=len, reverse=True)


def find_identifying(text, names=()):
    """Return the identifying details in `text`, in order of appearance."""
    if not text:
        return []
    findings = []
    for match in IDENTITY_CODE_RE.finditer(text):
        if identity_code_is_valid(match.group(0)):
            findings.append(Finding("identity_code", match.group(0), match.start(), match.end()))
    for match in EMAIL_RE.finditer(text):
        findings.append(Finding("email", match.group(0), match.start(), match.end()))
    for match in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 7 <= len(digits) <= 13:
            findings.append(Finding("phone", match.group(0), match.start(), match.end()))
    for token in _name_tokens(names):
        pattern = re.compile(r"(?<!\w)" + re.escape(token) + NAME_ENDINGS + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            findings.append(Finding("name", match.group(0), match.start(), match.end()))
    findings.sort(key=lambda f: (f.start, -f.end))
    kept, last_end = [], -1
    for finding in findings:  # overlapping matches: keep the first, longest one
        if finding.start >= last_end:
            kept.append(finding)
            last_end = finding.end
    return kept


MESSAGES = {
    "identity_code": _("Remove the personal identity code “%(text)s”: an anonymous case must not identify the family."),
    "phone": _("Remove the phone number “%(text)s”: an anonymous case must not identify the family."),
    "email": _("Remove the e-mail address “%(text)s”: an anonymous case must not identify the family."),
    "name": _("Remove the name “%(text)s”: an anonymous case must not identify the family."),
}


def validate_anonymous_text(text, names=()):
    """Raise a ValidationError naming each identifying detail the worker must remove."""
    findings = find_identifying(text, names)
    if findings:
        raise ValidationError(
            [ValidationError(MESSAGES[f.kind], code=f"{f.kind}_in_text", params={"text": f.text}) for f in findings]
        )


def redact(text, names=()):
    """Return `text` with every identifying detail replaced by a marker."""
    findings = find_identifying(text, names)
    for finding in reversed(findings):
        text = text[: finding.start] + REDACTED + text[finding.end:]
    return text
