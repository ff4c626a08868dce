"""The signed-in user's own pages (/compte/): sign-in for every account, « Mes jetons d'API »."""

from django.urls import path

from portal import token_views

urlpatterns = [
    path("connexion/", token_views.LoginView.as_view(), name="account-login"),
    path("deconnexion/", token_views.logout, name="account-logout"),
    path("jetons/", token_views.token_list, name="api-tokens"),
    path("jetons/nouveau/", token_views.token_new, name="api-token-new"),
    path("jetons/<slug:prefix>/", token_views.token_detail, name="api-token"),
    path("jetons/<slug:prefix>/revoquer/", token_views.token_revoke_view, name="api-token-revoke"),
]
