from django.db import models


class OrganisationKind(models.TextChoices):
    ARS = "ars", "Agence régionale de santé (ARS)"
    ARS_DELEGATION = "ars_delegation", "Délégation territoriale de l'ARS"
    PREFECTURE = "prefecture", "Préfecture / sous-préfecture"
    DDCS = "ddcs", "DDCS / DDETS"
    SGAR = "sgar", "SGAR"
    REGION = "region", "Conseil régional"
    DEPARTMENT = "department", "Conseil départemental (PMI)"
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"
    CCAS = "ccas", "CCAS"
    CPAM = "cpam", "CPAM"
    CAF = "caf", "CAF"
    HOSPITAL = "hospital", "Établissement hospitalier"
    ASSOCIATION = "association", "Association"
    SOCIAL_LANDLORD = "social_landlord", "Bailleur social"
    EMPLOYMENT_AGENCY = "employment_agency", "France Travail (Pôle emploi)"
    RESOURCE_CENTRE = "resource_centre", "Centre de ressources politique de la ville"
    GIP = "gip", "Groupement d'intérêt public"
    OTHER = "other", "Autre"


class SchemeKind(models.TextChoices):
    CLS = "CLS", "Contrat local de santé (CLS)"
    CTS = "CTS", "Contrat territorial de santé (CTS)"
    ASV = "ASV", "Atelier santé ville (ASV)"
    CLSM = "CLSM", "Conseil local de santé mentale (CLSM)"
    ARMS = "ARMS", "Adultes-relais médiateurs santé (ARMS)"


class SchemeStatus(models.TextChoices):
    PROJECT = "project", "En projet"
    OPERATIONAL = "operational", "Opérationnel"
    STOPPED = "stopped", "Arrêté"
    ENDED = "ended", "Terminé"


class ParticipationLevel(models.IntegerChoices):
    """Arnstein's ladder of citizen participation (1969), as the seeds use it."""

    MANIPULATION = 1, "1 – Manipulation"
    THERAPY = 2, "2 – Thérapie"
    INFORMING = 3, "3 – Information"
    CONSULTATION = 4, "4 – Consultation"
    PLACATION = 5, "5 – Implication (réassurance)"
    PARTNERSHIP = 6, "6 – Partenariat"
    DELEGATED_POWER = 7, "7 – Délégation de pouvoir"
    CITIZEN_CONTROL = 8, "8 – Contrôle citoyen"


class RoleKind(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinateur·rice"
    CO_LEADER = "co_leader", "Co-pilote"
    REFERENT = "referent", "Référent·e santé"
    MEDIATOR = "mediator", "Médiateur·rice santé"
    ELECTED_LEAD = "elected_lead", "Élu·e référent·e"
    PROJECT_OFFICER = "project_officer", "Chargé·e de mission"


class FundingProgramme(models.TextChoices):
    P147 = "p147", "Programme 147 (politique de la ville)"
    ARS_FIR = "ars_fir", "ARS – Fonds d'intervention régional (FIR)"
    COMMON_LAW = "common_law", "Crédits de droit commun"
    LOCAL_AUTHORITY = "local_authority", "Collectivités territoriales"
    ADULT_RELAY = "adult_relay", "Poste adulte-relais (État)"
    OTHER = "other", "Autre"


class StructureKind(models.TextChoices):
    MSP = "msp", "Maison de santé pluriprofessionnelle (MSP)"
    # « MPS : Maison Pluridisciplin[aire de santé] » in the MEL's list of schemes (seed 004).
    MPS = "mps", "Maison pluridisciplinaire de santé (MPS)"
    HEALTH_HUB = "pole", "Pôle de santé"
    HEALTH_CENTRE = "centre", "Centre de santé"
    PASS = "pass", "Permanence d'accès aux soins de santé (PASS)"


class SignatoryRole(models.TextChoices):
    STATE = "state", "État (préfet)"
    ARS = "ars", "Agence régionale de santé"
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"
    DEPARTMENT = "department", "Département"
    REGION = "region", "Région"
    HEALTH_INSURANCE = "health_insurance", "Assurance maladie (CPAM)"
    FAMILY_ALLOWANCE = "family_allowance", "CAF"
    HOSPITAL = "hospital", "Établissement de santé"
    SOCIAL_LANDLORD = "social_landlord", "Bailleur social"
    EMPLOYMENT = "employment", "Service public de l'emploi"
    OTHER = "other", "Autre partenaire"


class ProjectStage(models.TextChoices):
    """The project cycle of an ASV or a health section (seed 000)."""

    DIAGNOSIS = "diagnosis", "1 – Diagnostic"
    ORIENTATIONS = "orientations", "2 – Orientations"
    PROGRAMMING = "programming", "3 – Programmation"
    EVALUATION = "evaluation", "4 – Évaluation"


class FundingPurpose(models.TextChoices):
    """What a funding line pays for: the sources tell the scheme's coordination (its animation,
    « le financement de la coordination spécifique de l'ASV ») apart from its actions."""

    COORDINATION = "coordination", "Coordination (animation du dispositif)"
    ACTIONS = "actions", "Actions"


class SchemeLinkKind(models.TextChoices):
    """How two schemes are linked (seed 003: « L'ASV devient ainsi un volet territorial du
    CLS » ; with the same perimeter « ils coordonnent leurs actions »)."""

    COMPONENT_OF = "component_of", "Volet territorial de"
    COORDINATED_WITH = "coordinated_with", "Coordonné avec"


class GovernanceBodyKind(models.TextChoices):
    """A CLS's bodies (seed 004: « Gouvernance : un COPIL piloté Elu/DT, un COTECH et des
    groupes de travail »)."""

    STEERING = "steering", "Comité de pilotage (COPIL)"
    TECHNICAL = "technical", "Comité technique (COTECH)"
