"""Django's admin autodiscovery imports this module; the desk's registrations live in desk/."""

from .desk import admin as desk_admin  # noqa: F401
