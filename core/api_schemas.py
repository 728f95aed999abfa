"""Marshmallow fields and the model-to-schema converter of every REST API of the project.

Two promises of the OpenAPI description that FAB's converter does not keep:

- a timestamp is a ``date-time`` with its offset: the database keeps naive UTC, so a
  naive value is written as UTC with ``+00:00`` (``UtcDateTime``);
- a nullable relation (for example a package without contact person) is declared
  nullable: FAB's nested fields refuse ``null`` in the description while sending it.

Nullable columns are declared nullable by marshmallow-sqlalchemy already (``allow_none``),
which apispec writes as ``nullable: true``.
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder.api.convert import Model2SchemaConverter
from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """An ISO 8601 timestamp in UTC with its offset; naive values are taken as UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value


def utc_datetime(**kwargs) -> UtcDateTime:
    return UtcDateTime(format="iso", **kwargs)


def _as_utc(field: fields.DateTime) -> UtcDateTime:
    new = utc_datetime(required=field.required, allow_none=field.allow_none, dump_only=field.dump_only,
                       load_only=field.load_only, validate=field.validate, metadata=field.metadata)
    for attr in ("unique",):
        if hasattr(field, attr):
            setattr(new, attr, getattr(field, attr))
    return new


class ApiModel2SchemaConverter(Model2SchemaConverter):
    """FAB's converter, with UTC timestamps and nullable to-one relations."""

    def _column2field(self, datamodel, column, nested=True, parent_schema_name=None):
        field = super()._column2field(datamodel, column, nested=nested, parent_schema_name=parent_schema_name)
        if isinstance(field, fields.DateTime) and not isinstance(field, (fields.Date, UtcDateTime)):
            return _as_utc(field)
        if (isinstance(field, fields.Nested) and not field.many and datamodel.is_relation(column.name)
                and datamodel.is_nullable(column.name)):
            field.allow_none = True
        return field
