"""Rules spanning a scheme and its inline rows, checked by the admin before anything is saved.

Seed 003: « L'ARS peut accompagner financièrement des CLSM dans la mesure où la dynamique est
réelle. Dans ce cas elle est obligatoirement signataire du contrat, avec la collectivité et
l'établissement de santé. »
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from devices.enums import (
    FundingProgramme,
    GovernanceBodyKind,
    OrganisationKind,
    RoleKind,
    SchemeKind,
    SignatoryRole,
)
from devices.models import Funding, Scheme, SchemeSignatory

ARS_KINDS = (OrganisationKind.ARS, OrganisationKind.ARS_DELEGATION)
AUTHORITY_ROLES = (SignatoryRole.COMMUNE, SignatoryRole.EPCI)


def is_ars_funded(fundings: Iterable[Funding]) -> bool:
    """An ARS organisation (or one of its delegations) pays, or the line is ARS money (FIR)."""
    return any(
        line.programme == FundingProgramme.ARS_FIR or line.funder.kind in ARS_KINDS
        for line in fundings
    )


def clsm_missing_signatories(
    scheme: Scheme, fundings: Iterable[Funding], signatories: Iterable[SchemeSignatory]
) -> list[str]:
    """Who must still sign a CLSM funded by the ARS, in French; empty when the rule is met or
    does not apply. Works on unsaved rows, so the admin checks what is about to be saved."""
    if scheme.kind != SchemeKind.CLSM or not is_ars_funded(fundings):
        return []
    signatories = list(signatories)
    missing = []
    if not any(
        s.role == SignatoryRole.ARS or s.organisation.kind in ARS_KINDS for s in signatories
    ):
        missing.append("l'ARS")
    if not any(
        s.role in AUTHORITY_ROLES
        or s.organisation.kind in (OrganisationKind.COMMUNE, OrganisationKind.EPCI)
        for s in signatories
    ):
        missing.append("la collectivité (commune ou EPCI)")
    hospital = scheme.reference_hospital_id
    if hospital is None:
        missing.append("l'établissement de santé de référence (à renseigner sur le dispositif)")
    elif not any(s.organisation_id == hospital for s in signatories):
        missing.append(f"l'établissement de santé de référence ({scheme.reference_hospital})")
    return missing


def clsm_signatories_message(missing: list[str]) -> str:
    return (
        "Un CLSM financé par l'ARS a obligatoirement pour signataires l'ARS, la collectivité "
        f"et l'établissement de santé de référence. Manque : {', '.join(missing)}."
    )


def scheme_signatories_gaps(scheme: Scheme) -> list[str]:
    """``clsm_missing_signatories`` for a saved scheme."""
    return clsm_missing_signatories(
        scheme,
        scheme.fundings.select_related("funder"),
        scheme.signatories.select_related("organisation"),
    )


def scheme_signatories_check(*, scheme: Scheme) -> None:
    """Raises a French ValidationError naming who is missing."""
    missing = scheme_signatories_gaps(scheme)
    if missing:
        raise ValidationError(clsm_signatories_message(missing))


def steering_chairs_missing(body, members) -> list[str]:
    """Who does not yet chair a CLS's steering committee, in French (seed 004: « un COPIL
    piloté Elu/DT », the elected official and the ARS territorial director)."""
    if body.kind != GovernanceBodyKind.STEERING:
        return []
    chairs = [member for member in members if member.chairs]
    missing = []
    if not any(m.role_id and m.role.kind == RoleKind.ELECTED_LEAD for m in chairs):
        missing.append("l'élu·e référent·e")
    if not any(
        (m.organisation_id and m.organisation.kind in ARS_KINDS)
        or (m.role_id and m.role.organisation_id and m.role.organisation.kind in ARS_KINDS)
        for m in chairs
    ):
        missing.append("la délégation territoriale de l'ARS")
    return missing
