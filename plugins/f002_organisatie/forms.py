"""Forms of the profile page and the extra fields of the certification form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp, ValidationError

from core import files

URL_CHECK = [Optional(), URL(require_tld=True, message="Vul een volledig webadres in, met https://."),
             Length(max=500, message="Maximaal 500 tekens.")]


def https_only(form, field):
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError("Een webadres begint met https://.")


class ProfileForm(FlaskForm):
    name = StringField("Naam van de organisatie", validators=[
        DataRequired(message="Vul de naam van uw organisatie in."),
        Length(min=2, max=200, message="De naam moet 2 tot 200 tekens lang zijn.")])
    kvk_number = StringField("KvK-nummer", validators=[Optional(), Regexp(
        r"^\d{8}$", message="Een KvK-nummer bestaat uit 8 cijfers.")])
    logo = FileField("Logo (PNG, JPEG of WebP, maximaal 1 MB)")
    remove_logo = BooleanField("Huidig logo verwijderen")
    description = StringField("Korte omschrijving", validators=[Optional(), Length(
        max=255, message="Maximaal 255 tekens.")])
    long_description = TextAreaField("Uitgebreide omschrijving (Markdown)", render_kw={"rows": 10},
                                     validators=[Optional(), Length(max=20000, message="Maximaal 20.000 tekens.")])
    website = StringField("Website", validators=URL_CHECK + [https_only])
    email = StringField("E-mailadres", validators=[Optional(), Email(message="Vul een geldig e-mailadres in."),
                                                   Length(max=320)])
    phone = StringField("Telefoonnummer", validators=[Optional(), Regexp(
        r"^[0-9+() \-]{6,30}$", message="Vul een geldig telefoonnummer in.")])
    street = StringField("Straat en huisnummer", validators=[Optional(), Length(max=200)])
    postcode = StringField("Postcode", validators=[Optional(), Regexp(
        r"^\d{4} ?[A-Za-z]{2}$", message="Vul een postcode in zoals 1234 AB.")])
    city = StringField("Plaats", validators=[Optional(), Length(max=100)])
    support_url = StringField("Supportportaal", validators=URL_CHECK + [https_only])
    manual_url = StringField("Handleidingen", validators=URL_CHECK + [https_only])


class PdfUpload:
    """WTForms validator: an uploaded file must be a real PDF within the size limit."""

    def __call__(self, form, field):
        storage = field.data
        if storage is None or not getattr(storage, "filename", None):
            return
        try:
            data = files.read_limited(storage.stream, files.PDF_MAX_BYTES, "Het bestand")
            field.checked = files.validate_pdf(data, original_name=storage.filename)
        except files.UploadRejected as exc:
            raise ValidationError(str(exc)) from None
