"""The admin's adapter to the territory policy (``neighbourhoods/territory.py``).

Every write path of the admin asks the policy: change and delete permissions (single and bulk),
add views, inline rows, foreign keys and many-to-many, autocomplete results. Viewing stays open.
It also keeps change pages at a fixed number of queries whatever their number of inline rows.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet, ModelChoiceIterator
from django.utils.choices import BaseChoiceIterator

from neighbourhoods.admin_titles import change_form_title, changelist_title
from neighbourhoods.territory import (
    anchor_values,
    anchored,
    attachable,
    is_in_scope,
    outside_message,
    read_only_reason,
    rule_for,
    scope_for,
    territory_of,
)

FOREIGN_ROW = "« {} » relève d'un autre territoire : vous ne pouvez ni le modifier ni le supprimer."
LEAVING = "Cette fiche doit relever de votre territoire : choisissez {} dans votre territoire."


# Autocomplete widgets: labels remembered per request, garbage values ignored -----------------


class RememberedLabelsMixin:
    """Resolves the labels of the selected rows from what the page already loaded (inline rows
    fill ``labels``, shared by every copy of the widget) and the rest in one query. A value
    that is not a valid key is not rendered (the field reports it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels: dict[str, str] = {}

    def remember(self, objs) -> None:
        for obj in objs:
            self.labels[str(obj.pk)] = self.choices.field.label_from_instance(obj)

    def _valid_keys(self, value) -> list[str]:
        pk_field = self.field.remote_field.model._meta.pk
        keys = []
        for raw in value:
            if raw in (None, "") or str(raw) in keys:
                continue
            try:
                key = pk_field.to_python(raw)
                pk_field.run_validators(key)  # the database's integer range
            except ValidationError:
                continue
            keys.append(str(key))
        return keys

    def optgroups(self, name, value, attr=None):
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        keys = self._valid_keys(value)
        missing = [key for key in keys if key not in self.labels]
        if missing:
            self.remember(self.choices.queryset.using(self.db).filter(pk__in=missing))
        for key in keys:
            if key in self.labels:
                option = self.create_option(name, key, self.labels[key], True, len(default[1]))
                default[1].append(option)
        return [default]


class TerritoryAutocompleteSelect(RememberedLabelsMixin, AutocompleteSelect):
    pass


class TerritoryAutocompleteSelectMultiple(RememberedLabelsMixin, AutocompleteSelectMultiple):
    pass


def _remembering_widget(field):
    widget = field.widget
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    return widget if isinstance(widget, RememberedLabelsMixin) else None


class TerritoryAutocompleteView(AutocompleteJsonView):
    """Offers only the rows the user may attach (Django passes the source field)."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if not (source_field.concrete and source_field.is_relation):
            raise PermissionDenied
        # PostgreSQL refuses NUL characters in a string literal.
        return term.replace("\x00", ""), model_admin, source_field, to_field_name

    def get_queryset(self):
        return attachable(self.request.user, super().get_queryset())


def autocomplete_view(admin_site):
    return admin_site.admin_view(TerritoryAutocompleteView.as_view(admin_site=admin_site))


# Forms ---------------------------------------------------------------------------------------


def _pks(values) -> set:
    if values is None:
        return set()
    if not isinstance(values, list | tuple | set) and not hasattr(values, "model"):
        values = [values]
    return {getattr(value, "pk", value) for value in values if value not in (None, "")}


class TerritoryModelForm(forms.ModelForm):
    """Refuses, with a French message on the field, what the user's territory forbids: pointing
    at a row outside it, leaving it, changing a row of another territory."""

    territory_user = None  # set on the form class built for one request

    def _post_clean(self):
        super()._post_clean()
        user = self.territory_user
        if user is None or territory_of(user) is None:
            return
        if self.instance.pk is not None and not self.has_changed():
            return
        if self.instance.pk is not None and not is_in_scope(user, self.instance):
            self.add_error(None, FOREIGN_ROW.format(self.instance))
            return
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name in self.cleaned_data:
                self._check_attached(user, name, field)
        if not self.errors:
            self._check_anchored(user)

    def _check_attached(self, user, name, field) -> None:
        added = _pks(self.cleaned_data[name]) - _pks(self.initial.get(name))
        if not added:
            return
        rows = field.queryset.model._default_manager.filter(pk__in=added)
        outside = rows.exclude(pk__in=attachable(user, rows).values("pk")).first()
        if outside is not None:
            self.add_error(name, outside_message(outside))

    def _check_anchored(self, user) -> None:
        model = type(self.instance)
        values = anchor_values(self.instance)
        anchors = rule_for(model).anchors
        values.update(
            {name: _pks(self.cleaned_data[name]) for name in anchors if name in self.fields}
        )
        if anchored(user, model, values) is False:
            labels = " ou ".join(
                f"« {model._meta.get_field(name).verbose_name} »" for name in anchors
            )
            self.add_error(None, LEAVING.format(labels))


class TerritoryInlineFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        # The parent is known: its rows' __str__ need not fetch it again.
        setattr(instance, self.fk.name, self.instance)
        if instance.pk is not None:
            for name, field in form.fields.items():
                widget = _remembering_widget(field)
                if widget is not None:
                    widget.remember(_loaded_related(instance, name))
        return form

    def clean(self):
        super().clean()
        user = self.form.territory_user
        for form in self.initial_forms:
            deleted = self.can_delete and self._should_delete_form(form)
            if deleted and form.instance.pk and not is_in_scope(user, form.instance):
                raise ValidationError(FOREIGN_ROW.format(form.instance))


def _loaded_related(instance, name) -> list:
    """The rows ``instance.name`` holds without a query (select_related, prefetch_related)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return (
            list(instance._prefetched_objects_cache.get(name, ()))
            if hasattr(instance, "_prefetched_objects_cache")
            else []
        )
    if field.is_cached(instance):
        related = getattr(instance, name)
        return [related] if related is not None else []
    return []


# Admin classes -------------------------------------------------------------------------------


class TerritoryFieldsMixin:
    """Foreign keys and many-to-many: autocomplete widgets remembering their labels, plain
    selects offering only attachable rows."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TerritoryAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return self._limit(request, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TerritoryAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return self._limit(request, super().formfield_for_manytomany(db_field, request, **kwargs))

    def _limit(self, request, formfield):
        if formfield is None or _remembering_widget(formfield) is not None:
            return formfield
        if territory_of(request.user) is not None:
            formfield.queryset = attachable(request.user, formfield.queryset)
        return formfield


class TerritoryAdmin(TerritoryFieldsMixin):
    """For a ModelAdmin: rows outside the user's territory are read-only, and say why."""

    form = TerritoryModelForm

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or is_in_scope(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        # Bulk deletion asks this for every row it would delete, cascades included.
        return super().has_delete_permission(request, obj) and (
            obj is None or is_in_scope(request.user, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.territory_user = request.user
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A row placed only by the rows pointing at it (a person) is checked once they exist;
        # the exception rolls the whole add view back.
        if not change and not is_in_scope(request.user, form.instance):
            raise PermissionDenied("Cette fiche doit relever de votre territoire.")

    def changelist_view(self, request, extra_context=None):
        title = changelist_title(
            str(self.opts.verbose_name_plural), can_change=self.has_change_permission(request)
        )
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET" and request.user.is_authenticated:
            reason = read_only_reason(request.user, obj)
            if reason:
                messages.info(request, reason)
        context["title"] = change_form_title(
            str(self.opts.verbose_name),
            add=add,
            can_change=not add and self.has_change_permission(request, obj),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


class TerritoryInline(TerritoryFieldsMixin):
    """For an inline: editable when its parent is in the user's territory; each row of another
    territory (a person's role elsewhere) may be neither changed nor deleted."""

    form = TerritoryModelForm
    formset = TerritoryInlineFormSet

    def _parent_in_scope(self, request, obj) -> bool:
        return obj is None or is_in_scope(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_in_scope(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.territory_user = request.user
        return formset

    def get_queryset(self, request):
        """Rows with what their widgets and ``__str__`` show, in a fixed number of queries."""
        fields = [
            f
            for f in self.model._meta.get_fields()
            if f.concrete and f.is_relation and (not self.fields or f.name in self.fields)
        ]
        return (
            super()
            .get_queryset(request)
            .select_related(*(f.name for f in fields if not f.many_to_many))
            .prefetch_related(*(f.name for f in fields if f.many_to_many))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and _remembering_widget(formfield) is None:
            formfield.choices = LoadedOnceChoices(formfield)
        return formfield


class LoadedOnceChoices(BaseChoiceIterator):
    """A select's choices loaded once for every row of an inline (the rows' fields are copies
    sharing this iterator's ``loaded`` list), not once per row."""

    def __init__(self, field):
        self.field = field
        self.loaded: list = []

    def __iter__(self):
        if not self.loaded:
            self.loaded.append(list(ModelChoiceIterator(self.field)))
        return iter(self.loaded[0])


class OwnTerritoryFilter(admin.SimpleListFilter):
    """« Mon territoire » in the changelist of a territorial model, for coordinators."""

    title = "territoire"
    parameter_name = "territoire"

    def lookups(self, request, model_admin):
        if territory_of(request.user) is None:
            return ()
        return (("mine", "Mon territoire"),)

    def queryset(self, request, queryset):
        if self.value() != "mine" or territory_of(request.user) is None:
            return queryset
        return scope_for(request.user, queryset)
