"""Admin side of the lost-update guard (``portal/concurrency.py``).

The change form carries the version of the object as it was rendered; saving checks it inside
the admin's save transaction, row locked. On a conflict nothing is saved and the form comes back
with the user's input and a French message, so neither edit is lost.
"""

from django.core.exceptions import ValidationError
from django.utils.html import format_html

from portal.concurrency import ConcurrentChange, ensure_unchanged, version_of

VERSION_FIELD = "_version"


class VersionCheckedFormMixin:
    """For the ModelForm of a change page: refuses the save if the object changed meanwhile."""

    reopen_url = ""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            try:
                ensure_unchanged(self.instance, self.data.get(VERSION_FIELD, ""))
            except ConcurrentChange as conflict:
                raise ValidationError(conflict_message(conflict, self.reopen_url)) from conflict
        return cleaned_data


def conflict_message(conflict: ConcurrentChange, reopen_url: str) -> str:
    return format_html(
        "{} Rien n'a été enregistré : votre saisie est conservée ci-dessous. "
        '<a href="{}" target="_blank" rel="noopener">Rouvrez la fiche à jour dans un nouvel '
        "onglet</a> et reportez-y vos changements.",
        conflict.message,
        reopen_url,
    )


class VersionCheckedAdminMixin:
    """For a ModelAdmin whose change page edits the object and its inlines together."""

    change_form_template = "admin/versioned_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form

        class VersionCheckedForm(VersionCheckedFormMixin, form):
            reopen_url = request.path

        return VersionCheckedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if change and obj is not None and response.context_data.get("has_change_permission"):
            # After a refused save the form keeps the version it was opened with: saving it
            # again would revert the other person's edit.
            response.context_data["object_version"] = (
                request.POST.get(VERSION_FIELD, "") if request.method == "POST" else version_of(obj)
            )
        return response
