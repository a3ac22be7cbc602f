"""Shared by the desk session tests: a verified desk client and the family's identifying text."""

from tests.test_desk_smoke import verified_client

# What fill_case() (tests/builders.py) writes: none of it may appear in a desk page or e-mail
# that is not the permission-checked case content view.
FAMILY_DATA = ["Maija", "Matti", "Meikäläinen", "Aino", "Miten tukea lasta", "Vanhemmat erosivat"]


def desk(client, user):
    user.refresh_from_db()
    return verified_client(client, user)


def assert_no_family_data(text):
    for fragment in FAMILY_DATA:
        assert fragment not in text, fragment


__all__ = ["FAMILY_DATA", "assert_no_family_data", "desk", "verified_client"]
