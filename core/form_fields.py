"""Form fields with Dutch messages that several plugins' forms use."""

from __future__ import annotations

import datetime as dt

from wtforms import DateField, SelectField, widgets
from wtforms.validators import ValidationError


class DutchSelectField(SelectField):
    """A dropdown that refuses an unknown value in Dutch (``message`` says how)."""

    message = "Kies een waarde uit de lijst."

    def pre_validate(self, form):
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(self.message)


class DutchDateField(DateField):
    """A date input (the browser's own date picker) with a Dutch message for a wrong date."""

    widget = widgets.DateInput()

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = dt.date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError("Vul een geldige datum in, zoals 2025-03-31.") from None


BLANK_CHOICE = "– kies –"


def prepare_fab_field(field) -> str:
    """Adjust a field of a FAB-generated form before the form widget renders it; returns "".

    FAB's optional relation dropdown gets a Dutch empty choice (FAB's shows its value,
    "__None"), and FAB's English date picker (dates only: FAB's DateField reads what a
    date input sends) becomes the browser's own date input, which
    speaks the person's language and works with a keyboard and a screen reader.
    Used by appbuilder/general/widgets/form.html; returns "" so that the template prints nothing.
    """
    from flask_appbuilder.fieldwidgets import DatePickerWidget

    if getattr(field, "allow_blank", False) and not getattr(field, "blank_text", None):
        field.blank_text = BLANK_CHOICE
    if isinstance(field.widget, DatePickerWidget):  # its format, %Y-%m-%d, is what a date input sends
        field.widget = widgets.DateInput()
    return ""
