"""Public pages of the health schemes and structures: their pages, the directory, the coverage
gaps and the partnership map."""

from django.urls import path

from devices import directory, gaps, pages, partnerships

urlpatterns = [
    path("dispositifs/<uuid:uid>/", pages.scheme_page, name="scheme-page"),
    path("structures/<uuid:uid>/", pages.structure_page, name="structure-page"),
    path("structures/<uuid:uid>/carte.geojson", pages.structure_geojson, name="structure-geojson"),
    path("annuaire/", directory.directory, name="directory"),
    path("annuaire.csv", directory.directory_csv, name="directory-csv"),
    path("couverture/", gaps.coverage_gaps, name="coverage-gaps"),
    path("couverture.csv", gaps.coverage_gaps_csv, name="coverage-gaps-csv"),
    path("partenariats/", partnerships.partnerships, name="partnerships"),
]
