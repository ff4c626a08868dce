"""This app's resources in the partner API (/api/v1/)."""


def register(router):
    """Adds this app's viewsets to the API router (portal/api/urls.py)."""
