"""Who a returnee is, and whether two records are likely one person. Pure: no I/O.

Personal data (names, phone, address, identity document, birth date, notes) enters through
`PersonalData`, is kept in intake's vault only, and never leaves in an event.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

# Near-identical spellings of one name (a dropped letter, a swapped vowel, an accent) score
# above this; different names sharing a family name and a birth date stay below it.
NAME_SIMILARITY_THRESHOLD = 0.85
# Numbers shorter than this are too ambiguous to match a national against an international form.
PHONE_SUFFIX_DIGITS = 8


@dataclass(frozen=True)
class IdentityDocument:
    kind: str
    number: str


@dataclass(frozen=True)
class PersonalData:
    """What the vault holds about one person; never published."""

    given_names: str
    family_name: str
    birth_date: date
    phone: str | None = None
    address: str | None = None
    identity_document: IdentityDocument | None = None
    notes: str | None = None


@dataclass(frozen=True)
class KnownPerson:
    """A person already in the office's vault, as the duplicate check compares them."""

    returnee_id: UUID
    given_names: str
    family_name: str
    birth_date: date
    phone: str | None
    document_number: str | None


def name_key(given_names: str, family_name: str) -> str:
    """Lower case, accents stripped, punctuation dropped, name parts in alphabetical order:
    offices write 'Ouédraogo Aminata' and 'aminata OUEDRAOGO' for one person."""
    return " ".join(sorted(_name_tokens(f"{given_names} {family_name}")))


def _name_tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.findall(r"[a-z]+", bare)


def phone_key(phone: str) -> str:
    """Digits only; the international prefix 00 is the same as '+'."""
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if digits.startswith("00") else digits


def document_key(number: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", number.upper())


def levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute one character) turning `a` into `b`."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def name_similarity(first: tuple[str, str], second: tuple[str, str]) -> float:
    """1.0 for the same name however it is written, falling with each edit needed."""
    a, b = name_key(*first), name_key(*second)
    if not a or not b:
        return 0.0
    return 1.0 - levenshtein(a, b) / max(len(a), len(b))


def same_phone(first: str, second: str) -> bool:
    a, b = phone_key(first), phone_key(second)
    if a == b:
        return bool(a)
    shorter, longer = sorted((a, b), key=len)
    # '+226 70 12 34 56' and '70 12 34 56' are one line written with and without the country code
    return len(shorter) >= PHONE_SUFFIX_DIGITS and longer.endswith(shorter)


def phone_tail(phone: str) -> str:
    """The part of a number that `same_phone` always compares: a lookup key for candidates."""
    return phone_key(phone)[-PHONE_SUFFIX_DIGITS:]


def is_likely_same_person(person: PersonalData, known: KnownPerson) -> bool:
    if person.phone and known.phone and same_phone(person.phone, known.phone):
        return True
    document = person.identity_document
    if document and _same_document(document.number, known):
        return True
    return person.birth_date == known.birth_date and (
        name_similarity(
            (person.given_names, person.family_name), (known.given_names, known.family_name)
        )
        >= NAME_SIMILARITY_THRESHOLD
    )


def _same_document(number: str, known: KnownPerson) -> bool:
    key = document_key(number)
    return bool(key) and key == document_key(known.document_number or "")


def likely_duplicates(person: PersonalData, known: Iterable[KnownPerson]) -> list[UUID]:
    return [k.returnee_id for k in known if is_likely_same_person(person, k)]


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
