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
from sqlalchemy.exc import DataError

from core.extensions import db

BAD_Q = "Ongeldige zoekvraag q: gebruik rison, bijvoorbeeld (page:0,page_size:25)."
NEGATIVE_PAGE = "Ongeldige zoekvraag q: page en page_size zijn niet negatief."
BAD_VALUE = ("Ongeldige zoekvraag q: een waarde in de filters past niet bij de kolom "
             "(bijvoorbeeld tekst waar een nummer hoort).")


class SafeQueryMixin:
    """Mix into a FAB ModelRestApi (before it in the bases)."""

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
