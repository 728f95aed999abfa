"""FAB REST APIs answer an unreadable ``q`` with a Dutch 400, never a 500.

FAB parses ``q`` (rison) itself and answers most bad values with a 400, but three
cases reach the database or the parser's recursion limit and become a 500:
unclosed brackets such as ``(((`` (the rison parser recurses without end), a negative
``page`` or ``page_size`` (PostgreSQL refuses a negative OFFSET) and a filter value
of the wrong type (text compared with a number column on PostgreSQL). Every
ModelRestApi of the project mixes this in: the tenancy base class does, and so do
public read-only APIs.
"""

from __future__ import annotations

import prison
from flask import request
from flask_appbuilder.exceptions import ApplyFilterException
from flask_appbuilder.hooks import before_request
from sqlalchemy.exc import DataError, IntegrityError

from core.api_schemas import ApiModel2SchemaConverter
from core.extensions import db

BAD_Q = "Ongeldige zoekvraag q: gebruik rison, bijvoorbeeld (page:0,page_size:25)."
NEGATIVE_PAGE = "Ongeldige zoekvraag q: page en page_size zijn niet negatief."
REFUSED_WRITE = ("Er is niets opgeslagen: de invoer past niet. Controleer of de verplichte velden zijn ingevuld, of "
                 "een naam of nummer niet al bestaat, en of een verwijzing een nummer is van iets dat bestaat.")
BAD_VALUE = ("Ongeldige zoekvraag q: een waarde in de filters past niet bij de kolom "
             "(bijvoorbeeld tekst waar een nummer hoort).")


class SafeQueryMixin:
    """Mix into a FAB ModelRestApi (before it in the bases)."""

    model2schemaconverter = ApiModel2SchemaConverter

    @before_request
    def refuse_unreadable_q(self):
        value = request.args.get("q")
        if not value:
            return None
        try:
            args = prison.loads(value)
        except Exception:  # ParserException, RecursionError, ...: all mean "not rison"
            return self.response_400(message=BAD_Q)
        if isinstance(args, dict) and any(isinstance(args.get(k), int) and args[k] < 0
                                          for k in ("page", "page_size")):
            return self.response_400(message=NEGATIVE_PAGE)
        return None

    def get_list_headless(self, **kwargs):
        try:
            return super().get_list_headless(**kwargs)
        except (ApplyFilterException, DataError):
            db.session.rollback()
            return self.response_400(message=BAD_VALUE)

    # A write the database refuses (a unique or not-null constraint), or a value FAB's
    # loader cannot turn into a row (a relation given as an object instead of an id, a
    # number larger than the column): a Dutch 422 and nothing written, never a 500.
    REFUSED_WRITE_ERRORS = (IntegrityError, DataError, OverflowError, TypeError, ValueError)

    def post_headless(self):
        try:
            return super().post_headless()
        except self.REFUSED_WRITE_ERRORS:
            db.session.rollback()
            return self.response_422(message=REFUSED_WRITE)

    def put_headless(self, pk):
        try:
            return super().put_headless(pk)
        except self.REFUSED_WRITE_ERRORS:
            db.session.rollback()
            return self.response_422(message=REFUSED_WRITE)

    def delete_headless(self, pk):
        try:
            return super().delete_headless(pk)
        except IntegrityError:
            db.session.rollback()
            return self.response_422(message="Er is niets verwijderd: er hangt nog iets anders aan.")

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        """FAB translates a missing label or description as ``_("")``, which is the
        translation catalogue's header (``Project-Id-Version: ...``): leave them empty."""
        info = super()._get_field_info(field, filter_rel_field, page=page, page_size=page_size)
        if not (self.description_columns or {}).get(field.name):
            info["description"] = ""
        if not (self.label_columns or {}).get(field.name):
            info["label"] = field.name
        return info
