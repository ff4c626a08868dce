"""The indicators the portal knows, keyed by the column code INSEE's QPV files use.

Labels follow INSEE's QPV data dictionary as compiled by Toulouse DataViz (Hackaviz 2021,
meta/meta_qp.csv); vintages: population 2015 (« démographie 2015 »), income 2017 (« revenus
2017 »), CAF and Pôle emploi data around 2019–2020 as distributed by INSEE, facilities from the
permanent equipment base (BPE). A column missing here is refused by the importer rather than
stored without a label or a unit.

Cells that are not numbers are never stored as zero (see ``importing.readers.SECRET_MARKERS``):
``s`` (secret statistique) and ``c`` (confidentiel) → *secret*; ``nd``, ``n.d.`` (non disponible)
and an empty cell → *missing*, because a blank does not say why the value is absent (the
Occitanie file's compiler says its blanks are secret statistique, but the file cannot show it).
"""

from dataclasses import dataclass

from neighbourhoods.enums import IndicatorUnit

P, C, E, R = IndicatorUnit.PERCENT, IndicatorUnit.COUNT, IndicatorUnit.EURO, IndicatorUnit.RATIO

DEMOGRAPHY = ("INSEE, recensement – démographie des QPV", "2015")
INCOME = ("INSEE, Filosofi – revenus des QPV", "2017")
CAF = ("CAF, via INSEE", "2019")
EMPLOYMENT = ("INSEE, recensement – emploi des QPV", "2015")
JOB_SEEKERS = ("Pôle emploi, via INSEE", "2020")
FACILITIES = ("INSEE, base permanente des équipements et SIRENE", "2019")


@dataclass(frozen=True)
class IndicatorSpec:
    label: str
    unit: str
    source: str
    vintage: str


def _spec(label: str, unit: str, origin: tuple[str, str]) -> IndicatorSpec:
    return IndicatorSpec(label, unit, *origin)


CATALOGUE: dict[str, IndicatorSpec] = {
    "pop_mun": _spec("Population municipale du quartier", C, DEMOGRAPHY),
    "pop_com_qp": _spec("Population des quartiers prioritaires de la commune", C, DEMOGRAPHY),
    "pop_com": _spec("Population municipale de la commune", C, DEMOGRAPHY),
    "ind_jeune": _spec("Indice de jeunesse (moins de 20 ans / 60 ans et plus)", R, DEMOGRAPHY),
    "tx_tot_et": _spec("Part des étrangers dans la population", P, DEMOGRAPHY),
    "tx_f": _spec("Part des femmes dans la population", P, DEMOGRAPHY),
    "tx_f_et": _spec("Part des étrangères parmi les femmes", P, DEMOGRAPHY),
    "percou": _spec("Personnes couvertes par au moins une prestation CAF", C, CAF),
    "pmimp": _spec("Part des ménages fiscaux imposés", P, INCOME),
    "part_chomprinc": _spec("Part des indemnités de chômage dans les revenus", P, INCOME),
    "decuc_q2": _spec("Revenu déclaré par unité de consommation – médiane", E, INCOME),
    "decuc_d1": _spec("Revenu déclaré par unité de consommation – 1er décile", E, INCOME),
    "decuc_d9": _spec("Revenu déclaré par unité de consommation – 9e décile", E, INCOME),
    "disp_q2": _spec("Revenu disponible par unité de consommation – médiane", E, INCOME),
    "disp_d1": _spec("Revenu disponible par unité de consommation – 1er décile", E, INCOME),
    "disp_d9": _spec("Revenu disponible par unité de consommation – 9e décile", E, INCOME),
    "tp60": _spec("Taux de pauvreté au seuil de 60 %", P, INCOME),
    "brev": _spec("Taux de réussite au diplôme national du brevet", P, FACILITIES),
    "a": _spec("Allocataires CAF", C, CAF),
    "tx_tot_empl": _spec("Taux d'emploi des 15-64 ans", P, EMPLOYMENT),
    "tx_f_empl": _spec("Taux d'emploi des femmes de 15-64 ans", P, EMPLOYMENT),
    "tx_et_empl": _spec("Taux d'emploi des étrangers de 15-64 ans", P, EMPLOYMENT),
    "tx_tot_eprec": _spec("Part des emplois précaires parmi les emplois", P, EMPLOYMENT),
    "tx_f_eprec": _spec("Part des emplois précaires parmi les emplois des femmes", P, EMPLOYMENT),
    "tx_et_eprec": _spec(
        "Part des emplois précaires parmi les emplois des étrangers", P, EMPLOYMENT
    ),
    "abcde": _spec("Demandeurs d'emploi (catégories A à E)", C, JOB_SEEKERS),
    "abcde_f": _spec("Demandeuses d'emploi (catégories A à E)", C, JOB_SEEKERS),
    "abcde_h": _spec("Demandeurs d'emploi hommes (catégories A à E)", C, JOB_SEEKERS),
    "abc_capbep": _spec("Demandeurs d'emploi (A, B, C) de niveau CAP-BEP", C, JOB_SEEKERS),
    "abc_bac": _spec("Demandeurs d'emploi (A, B, C) de niveau bac", C, JOB_SEEKERS),
    "abc_supbac": _spec("Demandeurs d'emploi (A, B, C) de niveau supérieur au bac", C, JOB_SEEKERS),
    "ec_mat": _spec("Écoles maternelles", C, FACILITIES),
    "ec_elem": _spec("Écoles élémentaires", C, FACILITIES),
    "ec_elem_pri": _spec("Écoles élémentaires privées", C, FACILITIES),
    "coll": _spec("Collèges", C, FACILITIES),
    "coll_pri": _spec("Collèges privés", C, FACILITIES),
    "nbetab": _spec("Établissements économiques", C, FACILITIES),
    "ens_sante": _spec(
        "Établissements d'enseignement, de santé et d'action sociale", C, FACILITIES
    ),
    "serv_par": _spec("Services aux particuliers", C, FACILITIES),
    "serv_tot": _spec("Établissements de services", C, FACILITIES),
    "auto_ent": _spec("Créations d'auto-entreprises", C, FACILITIES),
}

IDENTITY_COLUMNS = {"code_qp", "nom_qp", "nom_commune", "code_commune", "lib_qp"}
