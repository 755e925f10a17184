"""Model fields whose values are encrypted in the database.

The model, forms and templates see plaintext; the column holds
`ph1:<key>:<ciphertext>` (cipher.py). `choices`, `max_length` and the other
validation apply to the plaintext. An encrypted column cannot be searched,
ordered or compared in SQL: a lookup other than "is it empty" raises, so a
query that would silently match nothing fails in tests instead. Where the
statistics need exact matches on a category code, a `BlindIndexField` beside
it holds an HMAC of the code.
"""

import json

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import cipher

# "app_label.Model.field" → (model, field name), filled as models load.
REGISTRY: dict[str, tuple[type[models.Model], str]] = {}


def column_label(model, name: str) -> str:
    return f"{model._meta.label}.{name}"


class EmptyOnlyExact(Exact):
    """`field=""` (nothing recorded) still works: empty is stored empty."""

    def __init__(self, lhs, rhs):
        if rhs not in ("", None):
            raise FieldError(f"{lhs.target.model._meta.label}.{lhs.target.name} is encrypted: it cannot be "
                             "compared in SQL (use its blind index, if it has one).")
        super().__init__(lhs, rhs)


class EncryptedMixin:
    encrypted = True

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract and cls.__module__ != "__fake__":
            REGISTRY[column_label(cls, name)] = (cls, name)

    @property
    def label(self) -> str:
        return column_label(self.model, self.name)

    def get_internal_type(self):
        return "TextField"

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        label = self.label

        class Refused(Exact):
            def __init__(self, lhs, rhs):
                raise FieldError(f"{label} is encrypted: it cannot be searched with {lookup_name!r}.")

        return Refused

    def get_transform(self, lookup_name):
        return None

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return cipher.decrypt(value, self.label)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "" or hasattr(value, "as_sql"):
            return value
        return cipher.encrypt(str(value), self.label)


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField (choices, max_length checked on the plaintext) stored as
    text: the ciphertext is longer than the value."""

    def db_parameters(self, connection):
        return {"type": connection.data_types["TextField"], "check": None}


class EncryptedJSONField(EncryptedMixin, models.JSONField):
    """JSON, encrypted whole: the database sees one opaque text value."""

    def get_internal_type(self):
        return "TextField"

    def db_parameters(self, connection):
        return {"type": connection.data_types["TextField"], "check": None}

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        text = cipher.decrypt(value, self.label)
        return json.loads(text, cls=self.decoder)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or hasattr(value, "as_sql"):
            return value
        return cipher.encrypt(json.dumps(value, cls=self.encoder), self.label)

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection)


class BlindIndexField(models.CharField):
    """HMAC of the field `source`'s plaintext under the index key (cipher.
    blind_index), kept up to date on every save and insert. Filter with
    `index_of(Model, source, code)`; counts grouped by it are turned back into
    codes with `codes_by_index`."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", cipher.INDEX_CHARS)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", cipher.INDEX_CHARS), ("blank", True), ("editable", False),
                             ("default", "")):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = cipher.blind_index(getattr(model_instance, self.source) or "",
                                   column_label(type(model_instance), self.source))
        setattr(model_instance, self.attname, value)
        return value


def index_of(model, source: str, value: str) -> str:
    """The blind index `value` has in `model.source`, to filter by."""
    return cipher.blind_index(value, column_label(model, source))


def codes_by_index(model, source: str, codes) -> dict[str, str]:
    """{blind index: code} for the known `codes` of `model.source`; blank → blank."""
    found = {"": ""}
    for code in codes:
        found[index_of(model, source, code)] = code
    return found


def decode_counts(counts: dict, model, source: str, codes) -> dict:
    """Counts by blind index → counts by code. An index that is none of
    `codes` (a code no category has) is counted under "?" so totals still
    add up; the statistics count it as not recorded."""
    back = codes_by_index(model, source, codes)
    decoded: dict = {}
    for index, n in counts.items():
        code = back.get(index or "", "?")
        decoded[code] = decoded.get(code, 0) + n
    return decoded


def with_blind_indexes(model, update_fields):
    """`update_fields` plus the blind index of each field in it, so that
    `save(update_fields=[…])` keeps the indexes in step."""
    names = set(update_fields)
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source in names:
            names.add(field.name)
    return names
