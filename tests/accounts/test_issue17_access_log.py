"""Issue 17, item 19: the access log shows every object type in words (audit.labels), with the raw code
kept in a title attribute. The code is scanned for every object type the apps write; each needs a label."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import override

from audit.labels import OBJECT_TYPES, PDF_KINDS, PREFIXES, detail_label, object_label
from audit.log import record

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "applications", "audit", "cases", "config", "demo", "documents", "followup", "iop", "records",
        "roster"]
# Names that hold an object type wherever they are assigned.
TYPE_NAMES = ("LIST_TYPE", "LOG_TYPE", "_ROLE", "log_object_type")


def sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), str(path))


def strings_in(node) -> set[str]:
    if isinstance(node, ast.Dict):  # a mapping to object types (iop.access.PART_TYPES): its values
        return set().union(*(strings_in(value) for value in node.values))
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _assignments(tree):
    """(name, value) of every simple and tuple assignment."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    yield from ((t.id, v) for t, v in zip(target.elts, node.value.elts) if isinstance(t, ast.Name))
                elif isinstance(target, ast.Name):
                    yield target.id, node.value


def _type_expressions(tree):
    """The expressions that give an object_type: keyword arguments, dict entries, parameter defaults."""
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("object_type", "log_type"):
            yield node.value
        elif isinstance(node, ast.Dict):
            yield from (v for k, v in zip(node.keys, node.values)
                        if isinstance(k, ast.Constant) and k.value == "object_type")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args.args + node.args.kwonlyargs
            defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults
            defaults += node.args.kw_defaults
            yield from (d for a, d in zip(args, defaults) if d is not None and a.arg == "object_type")


def written_object_types() -> set[str]:
    trees = list(sources())
    constants = {}
    for _path, tree in trees:
        for name, value in _assignments(tree):
            constants.setdefault(name, []).append(value)
    found = set()
    for _path, tree in trees:
        for name, value in _assignments(tree):
            if name.endswith(TYPE_NAMES):
                found |= strings_in(value)
        for expression in _type_expressions(tree):
            found |= _resolve(expression, constants)
    return found - {""}


def _resolve(node, constants) -> set[str]:
    """The strings an object_type expression can be: a literal, a constant (also one imported from another
    module, e.g. `access.CARD`), an entry of a constant mapping. Anything else (a parameter passed on, an
    f-string) is covered where its value is written or by audit.labels.PREFIXES."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _resolve(node.body, constants) | _resolve(node.orelse, constants)
    if isinstance(node, ast.Subscript):
        node = node.value
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    if not name.isupper():
        return set()
    return set().union(*(strings_in(value) for value in constants.get(name, [])))


def _records_kinds() -> set[str]:
    """The kinds records.collect gives its records (their log type is "records:<kind>")."""
    tree = ast.parse((ROOT / "records" / "collect.py").read_text())
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_record"
            and node.args and isinstance(node.args[0], ast.Constant)}


def test_the_scan_finds_the_object_types_written_in_many_ways():
    found = written_object_types()
    # a literal, a dict entry, a constant imported elsewhere, a mapping's value, a LIST_TYPE, a role's log type
    assert {"iop_pdf", "document_list", "person_case_card", "iop_log", "retention_list", "iko_team_role"} <= found


def test_every_object_type_written_has_a_label():
    assert sorted(written_object_types() - set(OBJECT_TYPES)) == []


def test_every_kind_of_record_in_an_access_request_has_a_label():
    assert sorted(_records_kinds() - set(OBJECT_TYPES)) == []


def test_the_labels_are_translatable():
    labels = [*OBJECT_TYPES.values(), *PREFIXES.values(), *PDF_KINDS.values()]
    assert all(isinstance(label, Promise) for label in labels)


def test_prefixed_types_and_details_in_words():
    assert object_label("records:iop") != "records:iop" and str(OBJECT_TYPES["iop"]) in object_label("records:iop")
    assert str(OBJECT_TYPES["document"]) in object_label("records:document")
    assert object_label("admin:accounts.student") not in ("", "admin:accounts.student")
    assert detail_label("iop_pdf", "halvar") == str(PDF_KINDS["halvar"])
    assert detail_label("iop", "stage 5 → 2") != "stage 5 → 2"
    assert "5" in detail_label("iop", "stage 5 → 2") and "2" in detail_label("iop", "stage 5 → 2")
    assert detail_label("document", "Kartlegging") == "Kartlegging"  # free text stays
    assert object_label("unknown_code") == "unknown_code"


@pytest.mark.django_db
def test_the_page_shows_words_and_keeps_the_code_for_support(client, admin, minor, teacher):
    record(None, action="created", object_type="iop_log", student=minor, user=teacher)
    record(None, action="downloaded", object_type="iop_pdf", student=minor, user=teacher, detail="halvar")
    client.force_login(admin)
    response = client.get(reverse("accounts:student_access_log", args=[minor.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ">iop_log<" not in html and ">iop_pdf: halvar<" not in html
    assert 'title="iop_log"' in html and 'title="iop_pdf: halvar"' in html
    with override(response.wsgi_request.LANGUAGE_CODE):  # the words in the language the page was shown in
        assert f">{object_label('iop_log')}<" in html
        assert f">{object_label('iop_pdf')}: {detail_label('iop_pdf', 'halvar')}<" in html


@pytest.mark.django_db
def test_the_page_stays_closed_to_a_teacher_of_the_student(client, teacher, minor):
    client.force_login(teacher)
    assert client.get(reverse("accounts:student_access_log", args=[minor.pk])).status_code == 403
