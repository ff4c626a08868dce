"""Public pages of the territories: neighbourhoods, communes, EPCI, the map layers and the
« is this place in a priority neighbourhood? » lookup."""

from django.urls import path

from neighbourhoods import lookup_views, pages, views

urlpatterns = [
    path("carte/quartiers.geojson", views.contours, name="neighbourhood-contours"),
    path("quartiers/", views.neighbourhood_list, name="neighbourhood-list"),
    path("quartiers/<str:code>/", pages.neighbourhood_page, name="neighbourhood-page"),
    path("communes/<str:insee_code>/", pages.commune_page, name="commune-page"),
    path("epci/<str:siren>/", pages.epci_page, name="epci-page"),
    path("ce-lieu-est-il-en-quartier-prioritaire/", lookup_views.point_lookup, name="point-lookup"),
]
