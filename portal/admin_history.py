"""The activity journal of sections and schemes and the journal per territory (issue 8,
« Historique »)."""

import datetime

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from neighbourhoods.models import Department, Epci, Region
from portal.history import (
    JournalEntry,
    area_territory,
    can_restore,
    journal,
    territory_sources,
    version_restore,
)


def journal_table(entries: list[JournalEntry]) -> str:
    """A table of the latest changes: when, who, which row, which fields before → after."""
    if not entries:
        return "Aucune modification enregistrée."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{} « {} »</td><td>{}</td><td>{}</td></tr>",
        (
            (
                date_format(localtime(e.when), "d/m/Y H:i"),
                e.who,
                e.what,
                e.subject,
                e.action,
                changes_list(e),
            )
            for e in entries
        ),
    )
    return format_html(
        '<table class="activity-journal"><caption>Dernières modifications</caption>'
        '<thead><tr><th scope="col">Date</th><th scope="col">Par</th>'
        '<th scope="col">Fiche</th><th scope="col">Opération</th>'
        '<th scope="col">Champs (avant → après)</th></tr></thead><tbody>{}</tbody></table>',
        rows,
    )


def changes_list(entry: JournalEntry) -> str:
    if not entry.changes:
        return "—"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "", "<li>{} : {} → {}</li>", ((c.label, c.old, c.new) for c in entry.changes)
        ),
    )


class ActivityJournalAdminMixin:
    """A page of the latest changes of the object and of the rows edited with it, linked from
    its change form; ``journal(obj, user=..., limit=...)`` is the selector (a constant number of
    queries). Its own page, so that the change page keeps its query budget."""

    journal_limit = 20

    def journal(self, obj, *, user, limit):  # pragma: no cover - set by each admin
        raise NotImplementedError

    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "<path:object_id>/journal/",
                self.admin_site.admin_view(self.journal_view),
                name=f"{meta.app_label}_{meta.model_name}_journal",
            ),
            *super().get_urls(),
        ]

    def journal_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Fiche introuvable.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = self.journal(obj, user=request.user, limit=self.journal_limit)
        if request.method == "POST":
            return self._restore(request, entries)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Journal des modifications : {obj}",
            "opts": self.model._meta,
            "original": obj,
            "entries": entries,
            "journal": journal_table(entries),
            "can_restore": can_restore(request.user),
        }
        return TemplateResponse(request, "admin/activity_journal.html", context)

    def _restore(self, request, entries: list[JournalEntry]):
        """Puts back one version the page showed; administrators only (the service says so)."""
        shown = {(e.model_label, str(e.history_id)) for e in entries}
        wanted = (request.POST.get("model", ""), request.POST.get("history_id", ""))
        if wanted not in shown:
            raise PermissionDenied
        record = apps.get_model(wanted[0]).history.get(history_id=wanted[1])
        try:
            restored = version_restore(record=record, user=request.user)
        except ValidationError as error:
            messages.error(request, "Version non restaurée : " + " ".join(error.messages))
        else:
            messages.success(
                request, f"Version du {record.history_date:%d/%m/%Y %H:%M} restaurée : {restored}."
            )
        return redirect(request.path)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            meta = self.model._meta
            context["activity_journal_url"] = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_journal", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


class TerritoryJournalForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.order_by("name"), required=False, label="Région")
    department = forms.ModelChoiceField(
        Department.objects.order_by("code"), required=False, label="Département"
    )
    epci = forms.ModelChoiceField(Epci.objects.order_by("name"), required=False, label="EPCI")
    since = forms.DateField(
        required=False, label="Du", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="Au (inclus)", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("region", "department", "epci")):
            raise forms.ValidationError("Choisissez une région, un département ou un EPCI.")
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError("La fin de la période précède son début.")
        return data


JOURNAL_PAGE_SIZE = 25


def territory_journal_view(request):
    """Changes in a chosen region, department or EPCI over a period, newest first, by pages of
    25, for ARS reviewers (and everyone with access to the admin: every role reads every row).
    A constant number of queries whatever the page."""
    form = TerritoryJournalForm(request.GET or None)
    entries, page, has_next = [], 1, False
    if form.is_valid():
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        data = form.cleaned_data
        territory = area_territory(
            region=data["region"], department=data["department"], epci=data["epci"]
        )
        since = _day_start(data["since"])
        until = _day_start(data["until"] + datetime.timedelta(days=1)) if data["until"] else None
        found = journal(
            territory_sources(territory, since, until),
            user=request.user,
            limit=JOURNAL_PAGE_SIZE + 1,
            offset=(page - 1) * JOURNAL_PAGE_SIZE,
        )
        entries, has_next = found[:JOURNAL_PAGE_SIZE], len(found) > JOURNAL_PAGE_SIZE
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **admin.site.each_context(request),
        "title": "Journal des modifications par territoire",
        "form": form,
        "journal": journal_table(entries) if form.is_bound and form.is_valid() else "",
        "page": page,
        "previous_query": _page_query(query, page - 1) if page > 1 else "",
        "next_query": _page_query(query, page + 1) if has_next else "",
    }
    return TemplateResponse(request, "admin/territory_journal.html", context)


def _day_start(day: datetime.date | None):
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _page_query(query, page: int) -> str:
    query = query.copy()
    query["page"] = page
    return query.urlencode()
