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


def name_blank_choice(field) -> str:
    """Give FAB's optional relation dropdown a Dutch empty choice (FAB's own shows its value, "__None").

    Used by the form widget (appbuilder/general/widgets/form.html) before it renders a field;
    returns "" so that the template prints nothing.
    """
    if getattr(field, "allow_blank", False) and not getattr(field, "blank_text", None):
        field.blank_text = BLANK_CHOICE
    return ""
