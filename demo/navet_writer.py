"""Writing Navet files as Skatteverket would send them: for the demo, the tests
and the benchmarks. Samverka itself only reads them (people.navet)."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from people.identity import parse as parse_identity
from people.navet import (
    FILE_INFO,
    POST,
    POSTS,
    ROOT,
    NavetDate,
    NavetFileInfo,
    NavetPost,
    NavetRelation,
    NavetResidence,
    Source,
    schema_problem,
)

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSI_NIL = f"{{{XSI}}}nil"

# Skatteverket's organisation number 202100-5448, written as Navet does: 12 digits
# with the "16" prefix for legal persons.
SKATTEVERKET_ORG_NUMBER = "162021005448"
# Stockholms stad (212000-0142): a plausible receiving municipality.
DEFAULT_RECEIVER_ORG_NUMBER = "162120000142"


def write_navet(
    target: Source,
    posts: Iterable[NavetPost],
    *,
    file_info: NavetFileInfo | None = None,
    receiver_org_number: str = DEFAULT_RECEIVER_ORG_NUMBER,
) -> None:
    """Write posts as a Navet file (UTF-8) to a path or binary file, streaming.

    Each post is checked against the schema before it is written, so the
    output always validates; a value the schema refuses (a name too long, an
    unknown relation type) raises ValueError naming the post.
    ``receiver_org_number`` is the receiving organisation in
    ``Aviseringsinformation``, 12 digits.
    """
    with etree.xmlfile(target, encoding="utf-8") as out:
        out.write_declaration()
        with out.element(ROOT):
            out.write("\n")
            if file_info is not None:
                element = _file_info_element(file_info, receiver_org_number)
                _check_written(element, "Aviseringsinformation")
                out.write(element, pretty_print=True)
            with out.element(POSTS):
                out.write("\n")
                for number, post in enumerate(posts, start=1):
                    element = _post_element(post)
                    _check_written(element, f"Post {number}")
                    out.write(element, pretty_print=True)
            out.write("\n")


def _check_written(element: etree._Element, what: str) -> None:
    problem = schema_problem(element)
    if problem is not None:
        raise ValueError(f"{what} would not match the Navet schema: {problem[0]}")


def _add(parent: etree._Element, tag: str, value: str | int | None) -> None:
    """Add ``<tag>value</tag>`` unless the value is absent: optional elements are left out."""
    if value is not None and value != "":
        etree.SubElement(parent, tag).text = str(value)


def _raw(value: NavetDate | None) -> str | None:
    return None if value is None else value.raw


def _post_element(post: NavetPost) -> etree._Element:
    # Element order follows the sequences of FolkbokforingspostTYPE and PersonpostTYPE.
    element = etree.Element(POST)
    _add(element, "Sekretessmarkering", "J" if post.sekretessmarkering else "N")
    _add(element, "SkyddadFolkbokforing", "J" if post.skyddad_folkbokforing else "N")
    person = etree.SubElement(element, "Personpost")
    identity = parse_identity(post.identity_number)
    id_tag = "TilldelatPersonNrSamordningsNr" if identity.is_coordination_number else "PersonNr"
    _add(etree.SubElement(person, "PersonId"), id_tag, identity.value)
    _add(person, "HanvisningsPersonNr", post.referral_identity_number)
    if post.deregistration_code or post.deregistration_date:
        deregistration = etree.SubElement(person, "Avregistrering")
        _add(deregistration, "AvregistreringsorsakKod", post.deregistration_code)
        _add(deregistration, "Avregistreringsdatum", _raw(post.deregistration_date))
    _add(person, "Fodelsedatum", _raw(post.birth_date))
    _add_names(person, post.first_name, post.middle_name, post.last_name)
    if post.residence is not None:
        _add_residence(person, post.residence)
    if post.address is not None:
        address = etree.SubElement(etree.SubElement(person, "Adresser"), "Folkbokforingsadress")
        _add(address, "CareOf", post.address.care_of)
        _add(address, "Utdelningsadress1", post.address.street)
        _add(address, "Utdelningsadress2", post.address.street2)
        _add(address, "PostNr", post.address.postal_code)
        _add(address, "Postort", post.address.city)
    if post.immigration_date is not None:
        _add(etree.SubElement(person, "Invandring"), "Invandringsdatum", post.immigration_date.raw)
    if post.relations:
        relations = etree.SubElement(person, "Relationer")
        for relation in post.relations:
            _add_relation(relations, relation)
    if post.history:
        history = etree.SubElement(element, "Historik")
        for residence in post.history:
            _add_residence(history, residence)
    return element


def _add_names(parent: etree._Element, first: str, middle: str, last: str) -> None:
    if first or middle or last:
        names = etree.SubElement(parent, "Namn")
        _add(names, "Fornamn", first)
        _add(names, "Mellannamn", middle)
        _add(names, "Efternamn", last)


def _add_residence(parent: etree._Element, residence: NavetResidence) -> None:
    code = residence.municipality_code
    if code and not (len(code) == 4 and code.isascii() and code.isdigit()):
        raise ValueError(f"municipality code must be four digits, not '{code}'")
    element = etree.SubElement(parent, "Folkbokforing")
    _add(element, "Folkbokforingsdatum", _raw(residence.since))
    _add(element, "LanKod", code[:2])
    _add(element, "KommunKod", code[2:])


def _add_relation(parent: etree._Element, relation: NavetRelation) -> None:
    element = etree.SubElement(parent, "Relation")
    relation_id = etree.SubElement(element, "RelationId")
    if relation.identity_number:
        _add(relation_id, "PersonNr", parse_identity(relation.identity_number).value)
    else:
        # RelationId must hold a choice; an unknown person is written as nil.
        etree.SubElement(relation_id, "PersonNr", {XSI_NIL: "true"}, nsmap={"xsi": XSI})
    _add(element, "Relationstyp", relation.relation_type)
    _add(element, "RelationFromdatum", _raw(relation.valid_from))
    _add(element, "RelationTomdatum", _raw(relation.valid_to))
    _add_names(element, relation.first_name, "", relation.last_name)


def _file_info_element(info: NavetFileInfo, receiver_org_number: str) -> etree._Element:
    element = etree.Element(FILE_INFO)
    supplier = etree.SubElement(element, "Medieleverantor")
    _add(supplier, "OrgNr", SKATTEVERKET_ORG_NUMBER)
    _add(supplier, "Organisationsnamn", "Skatteverket")
    _add(etree.SubElement(element, "Mediemottagare"), "OrgNr", receiver_org_number)
    details = etree.SubElement(element, "Filinformation")
    _add(details, "BestallningsId", info.order_id)
    _add(details, "Bestallningstyp", info.order_type)
    _add(details, "Produkt", info.product)
    out = etree.SubElement(details, "Utfil")
    _add(out, "Filnamn", info.file_name)
    _add(out, "Effektueringsdatum", info.effective_date)
    _add(out, "AntalPoster", info.post_count)
    _add(out, "AntalPosterTotalt", info.post_count_total)
    _add(out, "AntalFiler", info.file_count)
    _add(out, "FilNr", info.file_number)
    _add(out, "JobbId", info.job_id)
    return element
