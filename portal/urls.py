from django.contrib import admin
from django.urls import include, path

from neighbourhoods.admin_territory import autocomplete_view
from portal import open_data_views, views
from portal.admin_history import territory_journal_view

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Before the admin's own: autocomplete offers only the rows the user may attach.
    path("admin/autocomplete/", autocomplete_view(admin.site)),
    path(
        "admin/journal-territorial/",
        admin.site.admin_view(territory_journal_view),
        name="territory_journal",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("portal.api.urls")),
    path("compte/", include("portal.account_urls")),
    path("", include("neighbourhoods.public_urls")),
    path("", include("contracts.public_urls")),
    path("", include("devices.public_urls")),
    path("recherche/", views.search, name="search"),
    path("donnees/", open_data_views.open_data_page, name="open-data"),
    path("donnees/export.zip", open_data_views.open_data_zip, name="open-data-zip"),
    path(
        "donnees/dispositifs-sante.schema.json",
        open_data_views.open_data_schema,
        name="open-data-schema",
    ),
    path("recherche/suggestions.json", views.search_suggestions, name="search-suggestions"),
]
