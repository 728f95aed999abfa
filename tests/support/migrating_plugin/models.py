"""The one table of the migrating test plugin."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, ForeignKey, Integer, String


class Logboekregel(Model):
    __tablename__ = "migrating_plugin_logboekregel"
    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id"), nullable=False, index=True)
    tekst = Column(String(200), nullable=False)
