"""Personal data encrypted at rest: an encrypted model field and its blind index.

A value is stored as ``v1:<algorithm>:<base64 of nonce + ciphertext + tag>``: SM4-GCM where
the ``cryptography`` package and its OpenSSL build can run it (checked once at run time),
else AES-256-GCM. The algorithm is written into the value, so a database moved to another
build still decrypts. The key is ``settings.YUANQU_FIELD_KEY`` (32 bytes: from the
environment in production, ``var/field_key`` on a local install); the keys of
``YUANQU_FIELD_KEYS_OLD`` are tried when the current one does not open a value, until
``yuanqu rekey`` has re-encrypted everything with the current key.

Each purpose has its own key derived from the field key (HMAC-SHA256 over a label): the
cipher key (SM4 takes 16 bytes, AES 32), the nonce key of the change log's tokens and the
blind-index key.

The blind index (``BlindIndexField``, a companion column ``<field>_bidx``) is an HMAC-SM3
(HMAC-SHA256 where OpenSSL lacks SM3) of the normalised value — a mobile by its digits — so
an exact search (``blind_indexes``) finds the row without the database ever seeing the
number. Both fields compute their value in ``get_prep_value``/``pre_save``: a form, the
API, an import, ``bulk_create`` and the demo all store the ciphertext and the index.

The change log keeps a personal value as ``{"masked": "138****5678", "token": …}``
(``changelog_value``): the token is encrypted with a nonce derived from the value, so the
same value gives the same token and a save that changes nothing logs nothing.
"""

import base64
import hashlib
import hmac
import os
import re
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core import validators
from django.db import models

from .privacy import MOBILE, mask

VERSION = "v1"
SM4_GCM = "sm4gcm"
AES_GCM = "aes256gcm"
ALGORITHMS = (SM4_GCM, AES_GCM)
NONCE_BYTES = 12
INDEX_ALGORITHM = "sm3" if "sm3" in hashlib.algorithms_available else "sha256"
_TOKEN = re.compile(r"^v1:(sm4gcm|aes256gcm):[A-Za-z0-9+/=]+$")


class DecryptionError(ValueError):
    """A stored value that no configured key opens (a wrong or missing key, or a damaged
    value): never shown as garbage."""

    def __init__(self, detail=""):
        super().__init__(
            "无法解密个人信息：加密时使用的密钥与 YUANQU_FIELD_KEY（及 YUANQU_FIELD_KEYS_OLD）均不符，"
            "或密文已损坏" + (f"（{detail}）" if detail else "")
        )


def _derive(key: bytes, purpose: str, size: int = 32) -> bytes:
    return hmac.new(key, f"yuanqu-field:{purpose}".encode(), hashlib.sha256).digest()[:size]


@lru_cache(maxsize=1)
def sm4_available() -> bool:
    """Whether this build's OpenSSL runs SM4-GCM (some builds leave SM4 out)."""
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        encryptor = Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(NONCE_BYTES))).encryptor()
        encryptor.update(b"probe")
        encryptor.finalize()
    except Exception:  # noqa: BLE001 - UnsupportedAlgorithm, or no SM4 in this cryptography
        return False
    return True


def default_algorithm() -> str:
    return SM4_GCM if sm4_available() else AES_GCM


def current_key() -> bytes:
    return settings.YUANQU_FIELD_KEY


def all_keys() -> list[bytes]:
    """The current key first, then the old ones still read."""
    return [current_key(), *[k for k in settings.YUANQU_FIELD_KEYS_OLD if k != current_key()]]


def _seal(algorithm: str, key: bytes, nonce: bytes, data: bytes) -> bytes:
    if algorithm == SM4_GCM:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        encryptor = Cipher(algorithms.SM4(_derive(key, "sm4", 16)), modes.GCM(nonce)).encryptor()
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(_derive(key, "aes256", 32)).encrypt(nonce, data, None)


def _open(algorithm: str, key: bytes, nonce: bytes, sealed: bytes) -> bytes:
    if algorithm == SM4_GCM:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        if len(sealed) < 16:
            raise ValueError("too short")
        body, tag = sealed[:-16], sealed[-16:]
        decryptor = Cipher(algorithms.SM4(_derive(key, "sm4", 16)), modes.GCM(nonce, tag)).decryptor()
        return decryptor.update(body) + decryptor.finalize()
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(_derive(key, "aes256", 32)).decrypt(nonce, sealed, None)


def encrypt(text: str, *, key: bytes | None = None, algorithm: str | None = None, deterministic=False) -> str:
    """``text`` as a stored token. ``deterministic``: the nonce is derived from the value
    (the change log's tokens, compared for equality), else random (the column)."""
    key = key or current_key()
    algorithm = algorithm or default_algorithm()
    data = str(text).encode("utf-8")
    if deterministic:
        nonce = hmac.new(_derive(key, "nonce"), data, hashlib.sha256).digest()[:NONCE_BYTES]
    else:
        nonce = os.urandom(NONCE_BYTES)
    sealed = _seal(algorithm, key, nonce, data)
    return f"{VERSION}:{algorithm}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def is_token(value) -> bool:
    return isinstance(value, str) and _TOKEN.match(value) is not None


def token_key(token: str) -> bytes:
    """The configured key that opens ``token`` (raises ``DecryptionError``)."""
    return _decrypt(token)[1]


def _decrypt(token: str) -> tuple[str, bytes]:
    _version, algorithm, payload = token.split(":", 2)
    raw = base64.b64decode(payload)
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for key in all_keys():
        try:
            return _open(algorithm, key, nonce, sealed).decode("utf-8"), key
        except Exception:  # noqa: BLE001 - InvalidTag (another key), UnsupportedAlgorithm …
            continue
    if algorithm == SM4_GCM and not sm4_available():
        raise DecryptionError("本机的 OpenSSL 不支持 SM4，请在支持 SM4 的环境中运行 yuanqu rekey")
    raise DecryptionError()


def decrypt(value):
    """The clear text of a stored token; anything else (a value written before encryption,
    empty, None) as it is."""
    if not is_token(value):
        return value
    return _decrypt(value)[0]


# --- the blind index ---------------------------------------------------------------------


def normalise(value, kind: str) -> str:
    """The form an exact search compares: a mobile by its digits (a +86 prefix dropped), an ID
    number in upper case without spaces, anything else trimmed."""
    text = str(value or "").strip()
    if kind == MOBILE:
        digits = re.sub(r"\D", "", text)
        return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    return re.sub(r"\s", "", text).upper()


def blind_index(value, kind: str, key: bytes | None = None) -> str:
    """The HMAC of the normalised value with the index key; "" for an empty value."""
    normal = normalise(value, kind)
    if not normal:
        return ""
    index_key = _derive(key or current_key(), "blind-index")
    return hmac.new(index_key, normal.encode("utf-8"), INDEX_ALGORITHM).hexdigest()


def blind_indexes(value, kind: str) -> list[str]:
    """The index of ``value`` under every configured key (rows not yet re-keyed are found)."""
    found = [blind_index(value, kind, key) for key in all_keys()]
    return [i for i in dict.fromkeys(found) if i]


# --- the change log ------------------------------------------------------------------------


def changelog_value(value, kind: str):
    """A personal value as the change log stores it: never in clear."""
    if value is None or value == "":
        return value
    return {"masked": mask(value, kind), "token": encrypt(value, deterministic=True)}


def is_logged_personal(value) -> bool:
    return isinstance(value, dict) and set(value) == {"masked", "token"}


def reveal(value, kind: str, show: bool):
    """A value from the change log as the reader may see it: the clear value for a reader
    with ``view_personal`` (decrypted), else the mask. A value logged before encryption (a
    plain string) is masked the same way."""
    if is_logged_personal(value):
        if not show:
            return value["masked"]
        try:
            return decrypt(value["token"])
        except DecryptionError:
            return value["masked"] + "（密钥已更换，无法解密）"
    if value is None or value == "" or show:
        return value
    return mask(value, kind)


# --- model fields --------------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """A text column holding the value encrypted; Python code reads and writes clear text.

    ``max_length`` limits the clear value (forms and validation), not the column. Lookups
    other than the blind index find nothing (each stored value has its own nonce): search
    through ``<name>_bidx``."""

    encrypted = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def to_python(self, value):
        if is_logged_personal(value):  # a value as the change log keeps it
            value = value["token"]
        if is_token(value):
            return decrypt(value)
        return super().to_python(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or is_token(value):
            return value
        return encrypt(value)

    def formfield(self, **kwargs):
        # A one-line input, as the CharField it replaces, not a text area.
        return models.Field.formfield(
            self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs}
        )


class BlindIndexField(models.CharField):
    """``HMAC(normalised value of field ``source``)``, set on every save (``pre_save``), so
    ``bulk_create`` and the importers set it too. Not shown, not edited, not logged."""

    blind_index_of = True

    def __init__(self, *args, source: str, kind: str = MOBILE, **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind_index(getattr(model_instance, self.source), self.kind)
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model) -> list:
    """(field, its blind index field or None) of the model's encrypted fields."""
    indexes = {f.source: f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)}
    return [
        (f, indexes.get(f.name)) for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
    ]


def blind_search_q(path: str, value, kind: str = MOBILE) -> models.Q | None:
    """``Q(<path>_bidx__in=…)`` for an exact search of ``value`` over the encrypted field at
    ``path`` (``"mobile"``, ``"contacts__mobile"``); None when the value cannot be one (a
    mobile needs at least 7 digits)."""
    text = str(value or "").strip()
    if kind == MOBILE and not re.fullmatch(r"\+?[\d\s\-]{7,24}", text):
        return None  # a name or a word, not a number: no index lookup
    if not normalise(text, kind):
        return None
    return models.Q(**{f"{path}_bidx__in": blind_indexes(text, kind)})


# --- whole columns: the migration that encrypts existing rows, and `yuanqu rekey` -----------


def _index_field(model, field):
    for f in model._meta.concrete_fields:
        if getattr(f, "blind_index_of", False) and getattr(f, "source", None) == field.name:
            return f
    return None


def _index_column(model, field):
    index = _index_field(model, field)
    return index.column if index is not None else None


def encrypt_column(connection, model, name: str, kind: str = MOBILE) -> int:
    """Store every value of ``model.name`` encrypted with the current key and the current
    algorithm, its blind index beside it; values already so are left alone. Raw SQL: no
    signal, no change log (the values a user reads do not change). Returns the rows written."""
    field = model._meta.get_field(name)
    index = _index_column(model, field)
    kind = getattr(_index_field(model, field), "kind", kind)
    qn = connection.ops.quote_name
    table, pk, column = qn(model._meta.db_table), qn(model._meta.pk.column), qn(field.column)
    index_sql = qn(index) if index else "''"
    key, algorithm = current_key(), default_algorithm()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {column}, {index_sql} FROM {table} WHERE {column} <> ''")  # noqa: S608
        rows = cursor.fetchall()
        updates = []
        for row_pk, stored, stored_index in rows:
            if is_token(stored):
                plain, used = _decrypt(stored)
                if (
                    used == key
                    and stored.split(":")[1] == algorithm
                    and stored_index == blind_index(plain, kind)
                ):
                    continue
            else:
                plain = stored
            updates.append((encrypt(plain), blind_index(plain, kind), row_pk))
        if updates:
            sets = f"{column} = %s" + (f", {index_sql} = %s" if index else "")
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # noqa: S608
                updates if index else [(value, row_pk) for value, _index, row_pk in updates],
            )
    return len(updates)


def decrypt_column(connection, model, name: str) -> int:
    """The reverse of ``encrypt_column``: every value back in clear, the index emptied."""
    field = model._meta.get_field(name)
    index = _index_column(model, field)
    qn = connection.ops.quote_name
    table, pk, column = qn(model._meta.db_table), qn(model._meta.pk.column), qn(field.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
        updates = [(decrypt(stored), row_pk) for row_pk, stored in cursor.fetchall() if is_token(stored)]
        if updates:
            cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", updates)  # noqa: S608
        if index:
            cursor.execute(f"UPDATE {table} SET {qn(index)} = ''")  # noqa: S608
    return len(updates)
