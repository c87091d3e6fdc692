"""Made-up but plausible names for the people of a scenario (Burkina Faso's common names).

No real person is meant; the duplicate check still sees ordinary, often repeated names.
"""

import random

from reintegration_contracts.types import Sex

FEMALE = (
    "Aminata",
    "Awa",
    "Fatimata",
    "Mariam",
    "Salimata",
    "Rasmata",
    "Alimata",
    "Safiatou",
    "Haoua",
    "Kadidiatou",
    "Bintou",
    "Assétou",
    "Zénabo",
    "Pauline",
    "Odile",
    "Clarisse",
    "Germaine",
    "Félicité",
    "Adjaratou",
    "Ramata",
)
MALE = (
    "Issouf",
    "Boureima",
    "Moussa",
    "Adama",
    "Souleymane",
    "Ousmane",
    "Abdoulaye",
    "Seydou",
    "Hamidou",
    "Idrissa",
    "Salif",
    "Karim",
    "Boukary",
    "Lassané",
    "Noufou",
    "Inoussa",
    "Aristide",
    "Wendpanga",
    "Rasmané",
    "Harouna",
    "Yacouba",
    "Daouda",
    "Madi",
    "Issaka",
)
FAMILY = (
    "Ouédraogo",
    "Sawadogo",
    "Compaoré",
    "Kaboré",
    "Zongo",
    "Traoré",
    "Ouattara",
    "Kiemdé",
    "Ilboudo",
    "Nikiéma",
    "Zoungrana",
    "Tapsoba",
    "Yaméogo",
    "Bationo",
    "Sanou",
    "Diallo",
    "Kinda",
    "Congo",
    "Belem",
    "Guiro",
    "Sankara",
    "Zida",
    "Bamogo",
    "Tiendrébéogo",
    "Koné",
    "Sana",
    "Dabiré",
    "Somé",
    "Barry",
    "Cissé",
)


def person_name(rng: random.Random, sex: Sex) -> tuple[str, str]:
    """Given names (one or two) and a family name."""
    pool = FEMALE if sex is Sex.FEMALE else MALE
    given = rng.choice(pool)
    if rng.random() < 0.4:
        given = f"{given} {rng.choice(pool)}"
    return given, rng.choice(FAMILY)
