"""Helpers for F002: real images made with Pillow, a real minimal PDF, posting forms."""

from __future__ import annotations

import io

from PIL import Image

from tests.support.actors import csrf_token


def image_bytes(fmt: str = "PNG", size=(800, 600), color=(21, 66, 115)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010E] = "geheime metadata"  # ImageDescription: must not survive re-encoding
        image.save(out, fmt, exif=exif.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def pdf_bytes(text: str = "Certificaat") -> bytes:
    """A small valid one-page PDF with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _input_value(page: str, name: str) -> str | None:
    """The value of the text input ``name`` on the page (None when the page has no such field)."""
    import html
    import re

    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def profile_form(client, path: str, **fields) -> dict:
    """The profile form as it is on the page (name, KvK-nummer), with the other fields empty unless given."""
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, path), "description": "", "long_description": "", "website": "",
            "email": "", "phone": "", "street": "", "postcode": "", "city": "", "support_url": "",
            "manual_url": ""}
    for name in ("name", "kvk_number"):
        value = _input_value(page, name)
        if value is not None:
            data[name] = value
    data.update(fields)
    return data
