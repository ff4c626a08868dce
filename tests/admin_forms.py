"""The POST a browser sends from an admin change page, built from the rendered page's forms."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Model
from django.forms import (
    CheckboxInput,
    ModelMultipleChoiceField,
    MultipleChoiceField,
    NullBooleanSelect,
)
from django.urls import reverse

MULTIPLE = (MultipleChoiceField, ModelMultipleChoiceField)


def change_url(obj: Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def change_form_data(response) -> dict:
    """Every field of the page's form and inline formsets as rendered, plus the version."""
    context = response.context
    data = {"_save": "Enregistrer"}
    if context.get("object_version"):
        data["_version"] = context["object_version"]
    data.update(_form_data(context["adminform"].form))
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        if isinstance(bound.field, MULTIPLE) and not bound.value():
            continue  # a browser sends nothing for an empty multiple choice
        value = _posted(bound.field.widget, bound.value())
        if value is not None:
            data[bound.html_name] = value
    return data


def _posted(widget, value):
    if isinstance(widget, NullBooleanSelect):
        return {True: "true", False: "false"}.get(value, "unknown")
    if isinstance(widget, CheckboxInput):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(_scalar(item)) for item in value]
    return str(_scalar(value))


def _scalar(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
