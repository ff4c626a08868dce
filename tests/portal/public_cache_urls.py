"""The portal's addresses plus pages that exercise the public page cache's rules."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotFound
from django.template import engines
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from portal.public_cache import public_page
from portal.urls import urlpatterns as portal_urlpatterns

_PAGE = engines["django"].from_string(
    "<!DOCTYPE html><title>Essai</title>"
    '<script src="/static/js/a.js" nonce="{{ request.csp_nonce }}"></script>'
    '<script src="/static/js/b.js" nonce="{{ request.csp_nonce }}"></script>'
    "<p>{{ text }}</p>"
)
_FORM = engines["django"].from_string("<form method=post>{% csrf_token %}</form>")


@public_page
def with_nonce(request):
    return HttpResponse(_PAGE.render({"text": request.GET.get("t", "")}, request))


@public_page
def with_cookie(request):
    response = HttpResponse("cookie")
    response.set_cookie("choix", "1")
    return response


@public_page
def with_message(request):
    messages.info(request, "Enregistré.")
    return HttpResponse("message")


@public_page
def missing(request):
    return HttpResponseNotFound("absent")


@public_page
def with_form(request):
    return HttpResponse(_FORM.render({}, request))


@public_page
@cache_control(private=True)
def private(request):
    return HttpResponse("privé")


@public_page
@vary_on_headers("Accept")
def negotiated(request):
    return HttpResponse(request.headers.get("Accept", ""))


urlpatterns = [
    path("essai/nonce/", with_nonce),
    path("essai/cookie/", with_cookie),
    path("essai/message/", with_message),
    path("essai/absent/", missing),
    path("essai/formulaire/", with_form),
    path("essai/prive/", private),
    path("essai/negocie/", negotiated),
    *portal_urlpatterns,
]
