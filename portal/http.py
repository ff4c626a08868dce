"""HTTP content negotiation shared by the views and the middlewares."""


def accepts_gzip(request) -> bool:
    """Whether the client takes a gzipped body: ``gzip`` or ``*`` listed with a quality above
    zero (``gzip;q=0`` is a refusal, which Django's GZipMiddleware does not read)."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=")
            try:
                return not params or float(quality) > 0
            except ValueError:
                return False
    return False
