"""Public pages of the city contracts."""

from django.urls import path

from contracts import lists, pages

urlpatterns = [
    path("contrats/", lists.contract_list, name="contract-list"),
    path("contrats/<str:code>/", pages.contract_page, name="contract-page"),
]
