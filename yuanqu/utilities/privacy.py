"""Masking personal data by what it is: a mobile number, an ID number, an e-mail address …

A model lists its personal fields in ``personal_fields``: either names, whose kind is read
from the field (an ``EmailField`` is an e-mail, a name containing ``mobile`` a mobile
number …), or a mapping ``{name: kind}`` when the name does not say it. Users without the
``view_personal`` grant see the masked value on pages, in the API and in the change log.
"""

import re

MOBILE = "mobile"
ID_NUMBER = "id_number"
EMAIL = "email"
PHONE = "phone"
PERSON_NAME = "name"
ADDRESS = "address"
TEXT = "text"
KINDS = (MOBILE, ID_NUMBER, EMAIL, PHONE, PERSON_NAME, ADDRESS, TEXT)

# Field-name fragments that say the kind, the most specific first.
NAME_HINTS = (
    (("id_number", "id_card", "identity", "idcard", "身份证"), ID_NUMBER),
    (("mobile", "cellphone"), MOBILE),
    (("email", "e_mail", "mail"), EMAIL),
    (("phone", "tel", "fax"), PHONE),
    (("address", "addr"), ADDRESS),
    (("name",), PERSON_NAME),
)


def mask_mobile(value: str) -> str:
    """138****5678: the first three and the last four digits."""
    text = (value or "").strip()
    if len(text) < 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_id_number(value: str) -> str:
    """110101********123X: the region (six characters) and the last four."""
    text = (value or "").strip()
    if len(text) < 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_email(value: str) -> str:
    """z***@example.com: the first character of the mailbox and the domain."""
    text = (value or "").strip()
    local, at, domain = text.partition("@")
    if not at:
        return "*" * len(text)
    return (local[:1] + "***" if local else "") + "@" + domain


def mask_phone(value: str) -> str:
    """0371-****5678: the separators stay, the digits but the first three and last four
    are hidden (a short number entirely)."""
    text = (value or "").strip()
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    if len(positions) < 7:
        return re.sub(r"\d", "*", text)
    hidden = set(positions[3:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def mask_name(value: str) -> str:
    """张**: the family name only."""
    text = (value or "").strip()
    return text[:1] + "*" * (len(text) - 1) if text else ""


def mask_address(value: str) -> str:
    """The first six characters (province, city), the rest hidden."""
    text = (value or "").strip()
    return text[:6] + "****" if len(text) > 6 else "*" * len(text)


def mask_text(value: str) -> str:
    """Anything else personal: hidden whole (not even its length shown)."""
    return "****" if str(value or "").strip() else ""


MASKS = {
    MOBILE: mask_mobile,
    ID_NUMBER: mask_id_number,
    EMAIL: mask_email,
    PHONE: mask_phone,
    PERSON_NAME: mask_name,
    ADDRESS: mask_address,
    TEXT: mask_text,
}


def mask(value, kind: str) -> str:
    """``value`` masked as a ``kind`` (one of ``KINDS``); empty stays empty."""
    if value is None or value == "":
        return value
    return MASKS[kind](str(value))


def field_kind(model, name: str) -> str:
    """The kind of a personal field: declared in ``personal_fields`` as a mapping, else read
    from the field's type and name; ``text`` when nothing says it."""
    declared = getattr(model, "personal_fields", ())
    if isinstance(declared, dict) and declared.get(name):
        return declared[name]
    from django.db import models

    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a model field (a computed column): judge by the name
        field = None
    if isinstance(field, models.EmailField):
        return EMAIL
    lowered = name.lower()
    for fragments, kind in NAME_HINTS:
        if any(f in lowered for f in fragments):
            return kind
    return TEXT


def personal_fields(model) -> dict[str, str]:
    """The model's personal fields, name → kind."""
    return {name: field_kind(model, name) for name in getattr(model, "personal_fields", ())}


def mask_field(model, name: str, value):
    """A value of ``model.name`` as a user without ``view_personal`` sees it."""
    kinds = personal_fields(model)
    return mask(value, kinds[name]) if name in kinds else value
