"""The activity journal shown on change pages (issue 8, « Historique »)."""

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from portal.history import JournalEntry


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
    """Shows the latest changes of the object and of the rows edited with it under its change
    form; ``journal(obj, user=..., limit=...)`` is the selector (a constant number of queries)."""

    journal_limit = 20

    def journal(self, obj, *, user, limit):  # pragma: no cover - set by each admin
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["activity_journal"] = journal_table(
                self.journal(obj, user=request.user, limit=self.journal_limit)
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
