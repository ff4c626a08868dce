from django.urls import path

from neighbourhoods import views

urlpatterns = [
    path("carte/quartiers.geojson", views.contours, name="neighbourhood-contours"),
]
