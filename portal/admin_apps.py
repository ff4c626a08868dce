from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's site (``portal.admin_site.PortalAdminSite``) as
    ``admin.site``, so that every ``admin.register`` lands on it."""

    default_site = "portal.admin_site.PortalAdminSite"
