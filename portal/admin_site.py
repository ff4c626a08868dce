"""The portal's admin site: Django's, with each role's home as its index (issue 8,
« Tableaux de bord »). The app list stays below the home for everyone."""

from django.contrib import admin

from portal.dashboards import dashboard_context


class PortalAdminSite(admin.AdminSite):
    site_header = "Volets santé des contrats de ville"
    site_title = "Volets santé"
    index_title = "Administration du portail"
    index_template = "admin/dashboard_index.html"

    def index(self, request, extra_context=None):
        context = {**dashboard_context(request), **(extra_context or {})}
        return super().index(request, context)
