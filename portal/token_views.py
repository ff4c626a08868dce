"""« Mes jetons d'API » (/compte/jetons/): each signed-in user lists, creates and revokes their
own API tokens and reads their usage log; the sign-in page of accounts without the admin
(partners) is here too. A token's secret is shown once, in the creation's response, and kept
nowhere."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from portal.api_tokens import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    ApiToken,
    TokenError,
    TokenScope,
    may_write_through_api,
    territory_choices,
    token_create,
    token_revoke,
)

LOGIN = reverse_lazy("account-login")
USES_PER_PAGE = 50
CHECKBOXES_UP_TO = 30


class PortalForm(DsfrBaseForm):
    def get_context(self):
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class LoginForm(PortalForm, AuthenticationForm):
    pass


class TokenForm(PortalForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître : l'application ou le script qui l'utilise.",
    )
    scope = forms.ChoiceField(label="Portée", choices=TokenScope.choices, initial=TokenScope.READ)
    expires_on = forms.DateField(
        label="Date d'expiration",
        help_text=f"Au plus tard dans {MAX_LIFETIME_DAYS} jours.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    departments = forms.ModelMultipleChoiceField(
        label="Départements", queryset=None, required=False
    )
    epcis = forms.ModelMultipleChoiceField(label="EPCI", queryset=None, required=False)
    communes = forms.ModelMultipleChoiceField(label="Communes", queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = self.today + datetime.timedelta(
            days=DEFAULT_LIFETIME_DAYS
        )
        self.fields["expires_on"].widget.attrs.update(
            min=(self.today + datetime.timedelta(days=1)).isoformat(),
            max=(self.today + datetime.timedelta(days=MAX_LIFETIME_DAYS)).isoformat(),
        )
        if not may_write_through_api(user):
            self.fields["scope"].choices = [(TokenScope.READ, TokenScope.READ.label)]
            self.fields["scope"].help_text = (
                "Les jetons d'écriture sont réservés aux coordinateur·rices et aux "
                "administrateur·rices."
            )
        else:
            self.fields[
                "scope"
            ].help_text = (
                "« Lecture et écriture » : modifier par l'API les données de votre territoire."
            )
        self.has_territory = False
        for name, queryset in territory_choices(user).items():
            field = self.fields[name]
            field.queryset = queryset
            count = queryset.count()
            if not count:
                del self.fields[name]
                continue
            self.has_territory = True
            field.help_text = "Aucun choix : tout votre territoire."
            if count <= CHECKBOXES_UP_TO:
                field.widget = forms.CheckboxSelectMultiple()
                field.widget.choices = field.choices
            else:
                field.widget.attrs["size"] = 8
        # DsfrBaseForm styled the first widgets; restyle the ones replaced above.
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day <= self.today:
            raise forms.ValidationError("Choisissez une date à venir.")
        if day > self.today + datetime.timedelta(days=MAX_LIFETIME_DAYS):
            raise forms.ValidationError(f"Un jeton vaut au plus {MAX_LIFETIME_DAYS} jours.")
        return day

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day, Paris time."""
        day = self.cleaned_data["expires_on"]
        end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        return min(
            timezone.make_aware(end),
            timezone.now() + datetime.timedelta(days=MAX_LIFETIME_DAYS),
        )


class LoginView(auth_views.LoginView):
    template_name = "portal/account/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Se connecter"}

    def get_default_redirect_url(self):
        return reverse("api-tokens")


logout = auth_views.LogoutView.as_view(next_page="home")


def _breadcrumb(current: str, *links) -> dict:
    return {
        "links": [{"url": reverse("home"), "title": "Accueil"}, *links],
        "current": current,
    }


TOKENS_LINK = {"url": reverse_lazy("api-tokens"), "title": "Mes jetons d'API"}


@never_cache
@login_required(login_url=LOGIN)
def token_list(request):
    tokens = (
        ApiToken.objects.filter(owner=request.user)
        .prefetch_related("epcis", "communes", "departments")
        .order_by("-created_at", "-pk")
    )
    now = timezone.now()
    rows = [{"token": token, "state": token.state(now)} for token in tokens]
    return render(
        request,
        "portal/tokens/list.html",
        {
            "title": "Mes jetons d'API",
            "rows": rows,
            "breadcrumb_data": _breadcrumb("Mes jetons d'API"),
        },
    )


@never_cache
@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def token_new(request):
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = token_create(
                owner=request.user,
                name=data["name"],
                scope=data["scope"],
                expires_at=form.expires_at(),
                epcis=data.get("epcis") or (),
                communes=data.get("communes") or (),
                departments=data.get("departments") or (),
            )
        except TokenError as exc:
            form.add_error(None, str(exc))
        else:
            # The only time the secret exists outside the caller's hands: this response.
            return render(
                request,
                "portal/tokens/created.html",
                {
                    "title": "Jeton créé",
                    "token": token,
                    "secret": raw,
                    "breadcrumb_data": _breadcrumb("Jeton créé", TOKENS_LINK),
                },
            )
    return render(
        request,
        "portal/tokens/new.html",
        {
            "title": "Créer un jeton d'API",
            "form": form,
            "breadcrumb_data": _breadcrumb("Créer un jeton", TOKENS_LINK),
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required(login_url=LOGIN)
def token_detail(request, prefix: str):
    token = get_object_or_404(
        ApiToken.objects.prefetch_related("epcis", "communes", "departments"),
        owner=request.user,
        prefix=prefix,
    )
    paginator = Paginator(token.uses.order_by("-at", "-pk"), USES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/tokens/detail.html",
        {
            "title": f"Jeton « {token.name} »",
            "token": token,
            "state": token.state(),
            "page": page,
            "breadcrumb_data": _breadcrumb(token.name, TOKENS_LINK),
        },
    )


@login_required(login_url=LOGIN)
@require_POST
def token_revoke_view(request, prefix: str):
    token = get_object_or_404(ApiToken, owner=request.user, prefix=prefix)
    already = token.revoked_at is not None
    token_revoke(token=token)
    if not already:
        messages.success(
            request, f"Le jeton « {token.name} » est révoqué : il ne donne plus accès."
        )
    return redirect("api-tokens")
