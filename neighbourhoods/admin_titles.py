"""French admin titles that elide and agree: « Modification de l'objectif », « Ajout d'une
action », « Consultation du dispositif », where Django's generic strings give « Modification de
objectif » and « Affichage de avis »."""

# Verbose names of the portal's feminine nouns; every other noun takes the masculine article,
# or the elided one before a vowel (« l'utilisateur·rice » stays neutral).
FEMININE = frozenset(
    {
        "action",
        "appartenance à une famille",
        "commune",
        "correspondance entre géographies",
        "famille de typologie",
        "organisation",
        "personne",
        "région",
        "structure de santé",
        "thématique",
        "typologie",
        "valeur d'indicateur",
    }
)
VOWELS = frozenset("aàâeéèêëiîïoôuùûüyœAÀÂEÉÈÊËIÎÏOÔUÙÛÜYŒ")


def elides(noun: str) -> bool:
    return bool(noun) and noun[0] in VOWELS


def of_the(noun: str) -> str:
    """« de l'objectif », « de la personne », « du dispositif »."""
    if elides(noun):
        return f"de l'{noun}"
    return f"de la {noun}" if noun in FEMININE else f"du {noun}"


def of_a(noun: str) -> str:
    """« d'un avis », « d'une action »."""
    return f"d'une {noun}" if noun in FEMININE else f"d'un {noun}"


def change_form_title(noun: str, *, add: bool, can_change: bool) -> str:
    if add:
        return f"Ajout {of_a(noun)}"
    return f"Modification {of_the(noun)}" if can_change else f"Consultation {of_the(noun)}"


def changelist_title(plural: str, *, can_change: bool) -> str:
    """« Objectifs : choisissez la fiche à modifier » rather than « Sélectionnez l'objet
    objectif à changer »."""
    return f"{plural[:1].upper()}{plural[1:]} : choisissez la fiche à " + (
        "modifier" if can_change else "consulter"
    )
