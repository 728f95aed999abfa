"""Where a save returns to: the parent page of the row, never FAB's page history.

FAB returns from a save or delete to "the page seen before" (a page history in the
session) and to the home page when there is none: a form opened from a link, a
bookmark or a second tab lands the user on ``/``. Every ``TenantModelView`` mixes in
:class:`ParentPageMixin` instead:

- add, edit and delete return to the row's :meth:`~ParentPageMixin.parent_page`. By
  default that is the view's own list. A view whose rows belong to another row names
  the relation and the page of that row::

      parent_relation = "package"
      parent_endpoint = "PackageView.show"     # called with pk=<the parent's id>
      parent_anchor = "ModuleView"             # the tab on that page: .../show/3#ModuleView
      parent_trail = (("Pakketten", "PackageView.list"),)   # breadcrumb before the parent

  On the add page (before there is a row) the parent comes from FAB's link filter
  ``_flt_<n>_<relation>=<id>`` (the add link on the parent's tab), shown only when the
  user may see that row. A view overrides :meth:`parent_page` for anything else (a
  package returns to its own page).
- a ``next`` argument that is a local path (``/pakketstandaarden/3``) wins over the
  parent page; another site's address (``https://...``, ``//...``) is ignored.
- add, edit and show pages get ``parent`` (a :class:`ParentPage`) in their context: the
  breadcrumb (``scg/_breadcrumb.html``) and, when the parent is a row, a title naming it
  (``parent_add_title``: "Module toevoegen aan Zaakwijs Zaken"). The form's buttons are
  "Opslaan" and an "Annuleren" link to the same page (``ParentFormWidget``).
- the messages ``add_row_message``, ``edit_row_message`` and ``delete_row_message`` may
  name the parent, the row's organisation or the row: ``"De module is toegevoegd aan {parent}."``,
  ``"De contactpersoon is toegevoegd aan {organisation}."`` (one full stop, also for a
  name that ends in one, such as "Zaakwijs B.V.").
- a list filtered on its parent (a tab of the parent's page) leaves out the parent's
  column: every row has the same one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import g, redirect, request, url_for
from flask_appbuilder.models.sqla.filters import FilterRelationOneToManyEqual
from flask_appbuilder.widgets import FormWidget
from sqlalchemy import inspect as sa_inspect
from werkzeug.routing import BuildError

from core.extensions import db
from core.formatting import sentence

_G_SAVED = "scg_parent_saved"  # the row being saved (set by the view's pre_add/pre_update/pre_delete)
_G_PAGE = "scg_parent_page"  # its parent page, computed before a delete
_G_ORGANISATION = "scg_parent_organisation"  # its organisation's name, computed before a delete
_G_NAME = "scg_parent_name"  # the row's own name, as it was entered


def local_path(value: str | None) -> str | None:
    """``value`` when it is a path on this site (``/a/b?c``), else None: never another site."""
    if not value or not isinstance(value, str) or len(value) > 2000:
        return None
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) < 32 for ch in value):
        return None
    return value


def requested_next() -> str | None:
    """The local ``next`` of the request (query string, or a form field), if any."""
    return local_path(request.args.get("next")) or local_path(request.form.get("next"))


@dataclass(frozen=True)
class ParentPage:
    """The page a child form belongs to.

    ``url``: where save, delete and Annuleren go; ``name``: the parent row's name for titles
    and messages (None when the parent is a list page); ``crumbs``: the breadcrumb up to and
    including the parent, as (text, url) pairs.
    """

    url: str
    name: str | None = None
    crumbs: tuple[tuple[str, str], ...] = ()


class RowMessage:
    """A save message that may name the parent (``{parent}``); read by FAB when it flashes.

    The view's class attributes ``add_row_message`` etc. are wrapped in it by
    :class:`ParentPageMixin` (see ``__init_subclass__``), so FAB's own ``flash`` shows it.
    """

    def __init__(self, text: str):
        self.text = text

    def __get__(self, view, owner=None):
        if view is None or "{" not in self.text:
            return self.text
        try:
            return sentence(self.text.format_map(_Known(view.message_context())))
        except (ValueError, IndexError):  # (a stray brace: the text as written, never a failed save)
            return self.text


class _Known(dict):
    """Placeholders a message does not know stay as they are."""

    def __missing__(self, key):
        return "{" + key + "}"


class ParentFormWidget(FormWidget):
    """The project's form (FAB's widget template, overridden) with an "Annuleren" link to the parent page.

    ``cancel_url`` reaches the template as a widget argument; FAB's own "back" (the browser's
    history) is not there.
    """


class ParentPageMixin:
    """Returns every save and delete to the parent page (see the module docstring)."""

    #: Relation of a row to the row whose page is its parent ("package"); None: the own list.
    parent_relation: str | None = None
    #: Endpoint of the parent row's page, called with ``pk=<id>``.
    parent_endpoint: str | None = None
    #: Tab (element id) on the parent's page, e.g. the related view's class name.
    parent_anchor: str | None = None
    #: Breadcrumb before the parent (or before the own list): (text, endpoint) pairs.
    parent_trail: tuple[tuple[str, str], ...] = ()
    #: Titles of the add and edit pages when the parent is a row.
    parent_add_title = "{title} aan {parent}"
    parent_edit_title = "{title} van {parent}"
    #: Used in messages when the parent's name is unknown.
    parent_fallback_name = "het pakket"

    add_widget = ParentFormWidget
    edit_widget = ParentFormWidget

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("add_row_message", "edit_row_message", "delete_row_message"):
            value = cls.__dict__.get(name)
            if isinstance(value, str):
                setattr(cls, name, RowMessage(value))

    # --- the parent -----------------------------------------------------------------
    def list_page(self) -> ParentPage:
        """The view's own list (after ``parent_trail`` in the breadcrumb)."""
        try:
            url = url_for(f"{type(self).__name__}.list")
        except BuildError:  # (a view without a list page: the home page)
            return ParentPage(url=self.appbuilder.get_url_for_index)
        trail = tuple((text, url_for(endpoint)) for text, endpoint in self.parent_trail)
        return ParentPage(url=url, crumbs=trail + ((getattr(self, "list_title", "") or "Overzicht", url),))

    def parent_row(self, item=None):
        """The parent row of ``item``; without an item: of the add page's link filter (if visible)."""
        if self.parent_relation is None:
            return None
        if item is not None:
            return getattr(item, self.parent_relation, None)
        return self._requested_parent()

    def _requested_parent(self):
        pattern = re.compile(rf"^_flt_\d+_{re.escape(self.parent_relation)}$")
        wanted = next((v for k, v in request.args.items() if pattern.match(k)), None)
        if not wanted or not wanted.isdigit() or len(wanted) > 12:
            return None
        model = sa_inspect(self.datamodel.obj).relationships[self.parent_relation].mapper.class_
        row = db.session.get(model, int(wanted))
        return row if row is not None and self.may_see_parent(row) else None

    def may_see_parent(self, row) -> bool:
        """Whether the user may see ``row`` (its name is shown); the tenancy mixin decides."""
        return True

    def parent_page_of(self, parent) -> ParentPage:
        """The page of a parent row."""
        url = url_for(self.parent_endpoint, pk=parent.id)
        if self.parent_anchor:
            url += f"#{self.parent_anchor}"
        trail = tuple((text, url_for(endpoint)) for text, endpoint in self.parent_trail)
        name = str(parent)
        return ParentPage(url=url, name=name, crumbs=trail + ((name, url),))

    def parent_page(self, item=None) -> ParentPage:
        """Where a save of ``item`` (None: the add page) returns to. Override for other pages."""
        parent = self.parent_row(item)
        if parent is None or self.parent_endpoint is None:
            return self.list_page()
        return self.parent_page_of(parent)

    def parent_page_after_delete(self, item) -> ParentPage:
        """Where a delete of ``item`` returns to (a row's own page is gone): its parent page."""
        return self.parent_page(item)

    def return_url(self, item=None) -> str:
        """A local ``next``, else the parent page of ``item``."""
        return requested_next() or self.parent_page(item).url

    # --- remembering the saved row (called by the view's pre_add/pre_update/pre_delete) --
    def remember_saved(self, item, deleting: bool = False) -> None:
        setattr(g, _G_SAVED, item)
        try:
            setattr(g, _G_NAME, str(item))
        except Exception:  # noqa: BLE001 - a row whose name needs what is not there yet: no name
            setattr(g, _G_NAME, "")
        if deleting:  # the row and its relations are gone after the delete
            setattr(g, _G_PAGE, self.parent_page_after_delete(item))
            setattr(g, _G_ORGANISATION, self._organisation_name(item))

    def message_context(self) -> dict:
        """``{parent}``, ``{organisation}`` and ``{name}`` (the row itself) of the saved row, for its message."""
        page = self.saved_parent_page()
        organisation = g.get(_G_ORGANISATION) or self._organisation_name(g.get(_G_SAVED))
        return {"parent": page.name if page is not None and page.name else self.parent_fallback_name,
                "organisation": organisation or "uw organisatie", "name": g.get(_G_NAME) or ""}

    @staticmethod
    def _organisation_name(item) -> str | None:
        organisation = getattr(item, "organisation", None) if item is not None else None
        return getattr(organisation, "name", None)

    def saved_parent_page(self) -> ParentPage | None:
        page = g.get(_G_PAGE)
        if page is None and g.get(_G_SAVED) is not None:
            page = self.parent_page(g.get(_G_SAVED))
            setattr(g, _G_PAGE, page)
        return page

    def _editing_item(self):
        pk = (request.view_args or {}).get("pk")
        if pk is None:
            return None
        try:
            return self.get_tenant_item(self._deserialize_pk_if_composite(pk))
        except Exception:  # noqa: BLE001 - a malformed pk: no row
            return None

    # --- FAB's redirects --------------------------------------------------------------
    def _after_save(self):
        # FAB does not roll back a refused save: the form's values would stay in the session (and
        # be flushed by the next query). A saved row is committed already, so this only drops those.
        db.session.rollback()
        nxt = requested_next()
        if nxt:
            return redirect(nxt)
        page = g.get(_G_PAGE)
        if page is None:
            item = g.get(_G_SAVED)
            if item is None or not sa_inspect(item).persistent:  # refused before or at the save
                item = self._editing_item()
            page = self.parent_page(item)
        return redirect(page.url)

    def post_add_redirect(self):
        return self._after_save()

    def post_edit_redirect(self):
        return self._after_save()

    def post_delete_redirect(self):
        return self._after_save()

    # --- pages ------------------------------------------------------------------------
    def page_parent(self, template: str, kwargs: dict) -> ParentPage | None:
        """The parent page of an add, edit or show page (None for other templates)."""
        if template == self.add_template:
            page, item = self.parent_page(None), None
        elif template in (self.edit_template, self.show_template):
            item = self._editing_item()
            page = self.parent_page(item)
        else:
            return None
        nxt = requested_next()
        if nxt:
            page = ParentPage(url=nxt, name=page.name, crumbs=page.crumbs)
        if page.name and template == self.add_template:
            kwargs["title"] = self.parent_add_title.format(title=kwargs.get("title") or "", parent=page.name)
        elif page.name and template == self.edit_template:
            kwargs["title"] = self.parent_edit_title.format(title=kwargs.get("title") or "", parent=page.name)
        return page

    def render_template(self, template, **kwargs):
        page = self.page_parent(template, kwargs)
        if page is not None:
            kwargs["parent"] = page
            for key in ("add", "edit"):
                widget = (kwargs.get("widgets") or {}).get(key)
                if widget is not None:
                    widget.template_args["cancel_url"] = page.url
        return super().render_template(template, **kwargs)

    def _get_list_widget(self, filters, *args, **kwargs):
        """A list of one parent's rows (its tab) leaves out the parent's columns."""
        widgets = super()._get_list_widget(filters, *args, **kwargs)
        relation = self.parent_relation
        if relation and any(isinstance(flt, FilterRelationOneToManyEqual) and flt.column_name == relation and value
                            for flt, value in filters.get_filters_values()):
            widget = widgets["list"]
            widget.template_args["include_columns"] = [
                c for c in widget.template_args["include_columns"]
                if c != relation and not c.startswith(relation + ".")]
        return widgets


__all__ = ["ParentFormWidget", "ParentPage", "ParentPageMixin", "local_path", "requested_next"]
