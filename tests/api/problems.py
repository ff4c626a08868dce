"""Reading the API's errors in tests: every error is an RFC 9457 problem detail
(``application/problem+json``, see ``portal.api.problems``), its field errors listed in
``errors: [{"field", "detail"}]``."""

from collections import defaultdict

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(response, status: int | None = None) -> dict:
    """The problem detail of ``response``, after checking its media type (and status)."""
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE, (
        response["Content-Type"],
        response.content[:300],
    )
    body = response.json()
    if status is not None:
        assert response.status_code == status, response.content[:300]
        assert body["status"] == status
    return body


def problem_fields(response) -> dict[str | None, list[str]]:
    """The field errors of a problem detail, as DRF's default body had them:
    ``{"page_size": ["Taille de page invalide…"], "points[3]": […]}``."""
    fields = defaultdict(list)
    for error in problem(response).get("errors", []):
        fields[error["field"]].append(error["detail"])
    return dict(fields)
