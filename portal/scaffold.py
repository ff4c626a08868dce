"""TEMPORARY (issue 9 in progress): the public pages' addresses exist before their views, so
that every page can link to every other. Each helper replaces its stubs; none may remain."""

from django.http import Http404


def not_built_yet(*args, **kwargs):
    def view(request, *a, **kw):
        raise Http404("Page en construction.")

    return view
