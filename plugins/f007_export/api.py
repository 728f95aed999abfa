"""F007 REST API: export the offering, preview or apply an import (JWT, like every API).

- ``GET /api/v1/uitwisseling/export?formaat=xlsx|csv[&inhoud=HANDLER][&organisatie=ID]``
- ``POST /api/v1/uitwisseling/import`` (multipart ``bestand``; ``bevestigen=ja`` applies,
  otherwise a preview; ``verwijderen=ja`` removes rows the file does not name)
"""

from __future__ import annotations

from flask import request, send_file
from flask_appbuilder.api import BaseApi, expose, protect

from core.files import UploadRejected
from core.io import ImportRejected, NoOrganisation, NotAllowed
from core.tenancy import current_user
from plugins.f007_export import exchange

YES = {"ja", "1", "true", "yes"}


class ExchangeApi(BaseApi):
    resource_name = "uitwisseling"
    class_permission_name = "UitwisselingApi"
    method_permission_name = {"export": "export", "import_": "import"}

    @expose("/export", methods=["GET"])
    @protect()
    def export(self):
        """The offering (or one part of it) as a spreadsheet.
        ---
        get:
          description: >-
            Het aanbod van de eigen organisatie (of, voor VNG, van de gekozen organisatie) als
            spreadsheet, met dezelfde kolommen als de export op de pagina.
          parameters:
          - in: query
            name: formaat
            schema: {type: string, enum: [xlsx, csv], default: xlsx}
          - in: query
            name: inhoud
            description: Eén onderdeel (bijvoorbeeld pakketten); zonder deze parameter alles.
            schema: {type: string}
          - in: query
            name: organisatie
            description: Het nummer van de organisatie (alleen voor VNG-medewerkers).
            schema: {type: integer}
          responses:
            200:
              description: Het bestand
              content:
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema: {type: string, format: binary}
                text/csv:
                  schema: {type: string}
        """
        fmt = request.args.get("formaat", "xlsx")
        if fmt not in exchange.FORMATS:
            return self.response_400(message="Kies formaat xlsx of csv.")
        organisation = request.args.get("organisatie")
        try:
            org_id = int(organisation) if organisation else None
        except ValueError:
            return self.response_400(message="organisatie moet een nummer zijn.")
        try:
            export = exchange.make_export(current_user(), fmt, org_id, request.args.get("inhoud"))
        except (PermissionError, NotAllowed) as exc:
            return self.response(403, message=str(exc))
        response = send_file(export.path, mimetype=export.mimetype, as_attachment=True,
                             download_name=export.filename, max_age=0)
        export.discard()
        return response

    @expose("/import", methods=["POST"])
    @protect()
    def import_(self):
        """Preview or apply an import of a spreadsheet (all or nothing).
        ---
        post:
          description: >-
            Lees een spreadsheet van het aanbod. Zonder bevestigen=ja is het een voorbeeld (er
            verandert niets); met bevestigen=ja wordt alles toegepast, of bij een fout niets.
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [bestand]
                  properties:
                    bestand: {type: string, format: binary, description: Het XLSX- of CSV-bestand.}
                    bevestigen: {type: string, enum: [ja, nee], description: ja past de import toe.}
                    verwijderen:
                      type: string
                      enum: [ja, nee]
                      description: ja verwijdert wat niet in het bestand staat.
          responses:
            200:
              description: Wat de import doet (voorbeeld) of deed (toegepast)
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      nieuw: {type: integer}
                      gewijzigd: {type: integer}
                      ongewijzigd: {type: integer}
                      verwijderd: {type: integer}
                      fouten: {type: integer}
                      rijen: {type: integer}
                      toegepast: {type: boolean}
                      foutmeldingen:
                        type: array
                        items:
                          type: object
                          properties:
                            blad: {type: string, nullable: true}
                            rij: {type: integer, nullable: true}
                            kolom: {type: string, nullable: true}
                            melding: {type: string}
        """
        upload = request.files.get("bestand")
        if upload is None:
            return self.response_400(message="Stuur het bestand mee als 'bestand' (multipart/form-data).")
        data = upload.stream.read(exchange.max_bytes() + 1)
        apply = request.form.get("bevestigen", "").lower() in YES
        remove = request.form.get("verwijderen", "").lower() in YES
        try:
            _, outcome = exchange.run(current_user(), data, apply=apply, remove_missing=remove)
        except ImportRejected as exc:
            return self.response(422, message="Er is niets geïmporteerd: het bestand bevat fouten.",
                                 fouten=[e.as_dict() for e in exc.errors[:1000]])
        except UploadRejected as exc:
            return self.response_400(message=str(exc))
        except (NoOrganisation, NotAllowed) as exc:
            return self.response(403, message=str(exc))
        return self.response(200, **outcome.as_dict())
