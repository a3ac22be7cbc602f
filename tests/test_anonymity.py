"""Finding identifying details in free text: Finnish personal identity codes (with the check
character), phone numbers, e-mail addresses and the family's recorded names."""

import pytest
from django.core.exceptions import ValidationError

from apps.haastavat_erot.anonymity import (
    find_identifying,
    identity_code_is_valid,
    redact,
    validate_anonymous_text,
    validate_identity_code,
)


@pytest.mark.parametrize("code", ["131052-308T", "010101A123N", "311299-999E", "150315A0021", "010594Y9032",
                                  "280264-051U"])
def test_valid_identity_codes(code):
    assert identity_code_is_valid(code)


@pytest.mark.parametrize("code", ["131052-308A", "010101A123M", "320101-123N", "310299-123X", "131052308T",
                                  "13105-2308T", "", "abcdef-ghiJ"])
def test_invalid_identity_codes(code):
    assert not identity_code_is_valid(code)


def test_validator_message_for_an_invalid_code():
    with pytest.raises(ValidationError) as error:
        validate_identity_code("131052-308A")
    assert error.value.code == "invalid_identity_code"
    validate_identity_code("131052-308T")


@pytest.mark.parametrize("text, kind", [
    ("Lapsen hetu on 131052-308T.", "identity_code"),
    ("Soita äidille 040 123 4567 iltaisin", "phone"),
    ("numero +358 40 1234567", "phone"),
    ("puh. 09-310 1234", "phone"),
    ("puh. (09) 310 1234", "phone"),
    ("sähköposti maija.meikalainen@example.fi", "email"),
])
def test_identifying_details_are_found(text, kind):
    assert [f.kind for f in find_identifying(text)] == [kind]


@pytest.mark.parametrize("text", [
    "Lapsi on 9-vuotias ja asunut vuodesta 2019 isällä.",
    "Käräjäoikeus päätti 12.3.2024 tapaamisista.",
    "Tapaamisia on ollut 3 kertaa kuukaudessa, 2 tuntia kerrallaan.",
    "Hetu 131052-308A on väärin kirjoitettu, ei tunniste.",
    "Anna-vuorottelu ja annettu tuki",
])
def test_ordinary_text_is_not_flagged(text):
    assert find_identifying(text, names=["Matti Virtanen"]) == []


def test_recorded_names_are_found_with_finnish_endings():
    names = ["Matti Virtanen", "Anna Korhonen"]
    found = [f.text for f in find_identifying("Virtaselta ei kuulunut mitään; Annalle soitettiin. Matti tuli.",
                                              names)]
    assert found == ["Annalle", "Matti"] or set(found) >= {"Annalle", "Matti"}


def test_message_says_what_to_remove():
    with pytest.raises(ValidationError) as error:
        validate_anonymous_text("Äidin numero on 040 123 4567 ja hetu 131052-308T", names=[])
    codes = [e.code for e in error.value.error_list]
    assert codes == ["phone_in_text", "identity_code_in_text"]
    assert "040 123 4567" in error.value.messages[0]
    assert "131052-308T" in error.value.messages[1]


def test_redact_replaces_every_detail():
    text = "Matti (131052-308T, matti@example.fi, 040 123 4567) on huolissaan."
    assert redact(text, ["Matti Virtanen"]) == "[…] ([…], […], […]) on huolissaan."
