"""Every change is audited: writes that bypass the ORM (and so the audit hook) must be listed in
`audit.CORE_WRITES` with a reason, and the decisions that used to bypass it now reach the log."""

from __future__ import annotations

import ast
import functools
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from apregister import models
from apregister.audit import CORE_WRITES, CORE_WRITES_EXEMPT_MODULES, NOT_AUDITED, acting_as
from apregister.models import AuditAction, AuditEvent, ExtensionRequest, ExtensionStatus, Role
from apregister.placements.operations.progress import decide_extension
from tests.conftest import make_placement, make_pupil, make_school, make_user, sign_in, submit

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "apregister"
WRITE_VERBS = ("insert", "update", "delete")
DIALECTS = {"postgresql", "sqlite", "mysql", "sa", "sqlalchemy"}
SQL_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "TRUNCATE", "ALTER", "DROP")


def _verb(call: ast.Call, sqlalchemy_names: frozenset[str] = frozenset({"text"})) -> str | None:
    """The write verb if `call` builds a Core write statement (or runs SQL text that writes)."""
    func = call.func
    if isinstance(func, ast.Name):
        # insert(X), update(X), delete(X), and aliases such as dialect_insert(X)
        name = func.id
        if call.args and any(name == v or name.endswith(f"_{v}") for v in WRITE_VERBS):
            return name
        if name == "text" and "text" in sqlalchemy_names:
            return _sql_verb(call)
        return None
    if isinstance(func, ast.Attribute):
        receiver = func.value
        if func.attr in WRITE_VERBS:
            # postgresql.insert(X), sa.update(X), X.__table__.delete(), session.query(X).update()
            if isinstance(receiver, ast.Name) and receiver.id in DIALECTS:
                return func.attr
            if isinstance(receiver, ast.Attribute) and receiver.attr == "__table__":
                return func.attr
            if "query(" in ast.unparse(receiver):
                return func.attr
        if func.attr in {"bulk_insert_mappings", "bulk_update_mappings", "bulk_save_objects"}:
            return func.attr
        if func.attr in {"exec_driver_sql", "executescript"} or (
            func.attr == "text" and isinstance(receiver, ast.Name) and receiver.id in DIALECTS
        ):
            return _sql_verb(call)
    return None


def _sql_verb(call: ast.Call) -> str | None:
    if not call.args:
        return None
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        words = arg.value.split()
        first = words[0].upper() if words else ""
        return "text" if first in SQL_WRITES or first == "WITH" else None
    return "text"  # SQL built at run time: it has to be looked at, so it has to be listed


@functools.cache
def core_writes() -> dict[tuple[str, str, str], ast.Call]:
    """(module, enclosing function, statement) for each Core write in the package."""
    found: dict[tuple[str, str, str], ast.Call] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        if module.startswith(tuple(CORE_WRITES_EXEMPT_MODULES)):  # a module, or a folder
            continue
        tree = ast.parse(path.read_text(), filename=module)
        parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        names = _imported_from_sqlalchemy(tree)
        for function, call in _calls(tree, "<module>"):
            verb = _verb(call, names)
            if verb is None:
                continue
            target = ast.unparse(call.args[0]) if call.args else ast.unparse(call.func)
            statement = f"{verb}({target})" if verb != "text" else f"text({_sql_head(call)})"
            call._chain_top = _chain_top(call, parents)  # type: ignore[attr-defined]
            call._function = _enclosing(call, parents) or tree  # type: ignore[attr-defined]
            found[(module, function, statement)] = call
    return found


def _imported_from_sqlalchemy(tree: ast.Module) -> frozenset[str]:
    return frozenset(
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        for alias in node.names
    )


def _sql_head(call: ast.Call) -> str:
    """`INSERT INTO table`, `UPDATE table SET` ...: the SQL's first three words."""
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return " ".join(arg.value.split()[:3])
    return ast.unparse(arg)[:60]


def _enclosing(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST | None:
    """The function a statement is written in."""
    while (node := parents.get(id(node))) is not None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


def _chain_top(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST:
    """The whole method chain `update(X).where(...).values(...)` that starts at `node`."""
    while (parent := parents.get(id(node))) is not None and (
        (isinstance(parent, ast.Attribute) and parent.value is node)
        or (isinstance(parent, ast.Call) and parent.func is node)
    ):
        node = parent
    return node


def _calls(node: ast.AST, function: str):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _calls(child, child.name)
        else:
            if isinstance(child, ast.Call):
                yield function, child
            yield from _calls(child, function)


def test_every_core_write_is_listed_with_a_reason():
    found = core_writes()
    unlisted = sorted(set(found) - set(CORE_WRITES))
    assert not unlisted, (
        "These statements write without the ORM, so the audit log never sees them. Make the "
        "change through the ORM, or list it in audit_exemptions.CORE_WRITES with the reason it "
        f"may go unaudited: {unlisted}"
    )
    gone = sorted(set(CORE_WRITES) - set(found))
    assert not gone, f"Remove these from audit_exemptions.CORE_WRITES, they no longer exist: {gone}"


def _model(name: str):
    return getattr(models, name, None)


def test_listed_writes_touch_only_what_the_log_leaves_out():
    for key, call in core_writes().items():
        if key not in CORE_WRITES:
            continue  # the test above names it
        kind, reason = CORE_WRITES[key]
        assert kind in {"not audited", "unaudited columns", "audited explicitly"} and reason, key
        model = _model(ast.unparse(call.args[0])) if call.args else None
        if kind == "not audited" and model is not None:
            assert model.__tablename__ in NOT_AUDITED, key
        if kind == "audited explicitly":
            # the same function writes the events itself
            source = ast.unparse(call._function)  # type: ignore[attr-defined]
            assert "record_event" in source or "_audit_" in source, key
        if kind == "unaudited columns":
            assert model is not None and model.__tablename__ not in NOT_AUDITED, key
            ignored = getattr(model, "__audit_ignore__", frozenset()) | {"updated_at"}
            changed = _values_set(call)
            assert changed and changed <= ignored, f"{key} changes audited columns {changed}"


def _values_set(call: ast.Call) -> set[str]:
    """The columns in `.values(...)` of the statement built from `call`."""
    changed: set[str] = set()
    for node in ast.walk(call._chain_top):  # type: ignore[attr-defined]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "values"
        ):
            changed |= {keyword.arg for keyword in node.keywords if keyword.arg}
            if node.args:
                changed.add("<positional values>")
    return changed


# ---- the walk catches what it should -------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "db.session.execute(update(Placement).values(planned_end=x))",
        "db.session.execute(delete(Review).where(Review.id == 1))",
        "db.session.execute(sa.update(Placement).values(planned_end=x))",
        "db.session.execute(Placement.__table__.delete())",
        "db.session.query(Placement).filter_by(id=1).update({'planned_end': x})",
        "db.session.execute(text('UPDATE placements SET planned_end = NULL'))",
        "connection.exec_driver_sql('delete from reviews')",
        "db.session.bulk_update_mappings(Placement, rows)",
    ],
)
def test_the_walk_finds_core_writes(source):
    call = next(node for node in ast.walk(ast.parse(source)) if _verb_anywhere(node))
    assert _verb(call)


@pytest.mark.parametrize(
    "source",
    [
        "figures.update(active)",
        "db.session.delete(row)",
        "db.session.execute(text('SELECT 1'))",
        "select(Placement).with_for_update()",
    ],
)
def test_the_walk_leaves_other_calls_alone(source):
    assert not any(_verb_anywhere(node) for node in ast.walk(ast.parse(source)))


def _verb_anywhere(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _verb(node) is not None


# ---- extension decisions reach the log -----------------------------------------------------

TODAY = date.today()


def _pending_request(db):
    placement = make_placement(make_pupil(make_school()), start_date=TODAY - timedelta(weeks=2))
    request = ExtensionRequest(
        placement_id=placement.id,
        requested_on=TODAY,
        new_end=placement.planned_end + timedelta(weeks=4),
        reason="Needs more time",
    )
    db.session.add(request)
    db.session.commit()
    return placement, request


def _updates(db, table, record_id):
    return db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.table_name == table,
            AuditEvent.record_id == str(record_id),
            AuditEvent.action == AuditAction.UPDATE,
        )
        .order_by(AuditEvent.id)
    ).all()


@pytest.mark.parametrize("approve", [False, True])
def test_an_extension_decision_is_logged_with_old_and_new_values(db, approve):
    officer = make_user(Role.LA_OFFICER)
    placement, request = _pending_request(db)
    old_end, new_end = placement.planned_end, request.new_end
    with acting_as(officer):
        decide_extension(
            request,
            approve=approve,
            reason="  Agreed at panel  ",
            today=TODAY,
            by=officer,
            warnings=["Runs past the end of term"],
        )
        db.session.commit()

    [row] = _updates(db, "extension_requests", request.id)
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DECLINED
    assert row.user_id == officer.id
    assert row.changes["status"] == {"old": "pending", "new": status.value}
    assert row.changes["decided_by_id"] == {"old": None, "new": officer.id}
    assert row.changes["decided_on"] == {"old": None, "new": TODAY.isoformat()}
    assert row.changes["decision_reason"] == {"old": None, "new": "Agreed at panel"}
    assert row.changes["decision_warnings"] == {"old": None, "new": "Runs past the end of term"}
    moved = _updates(db, "placements", placement.id)
    if approve:
        assert [r.changes["planned_end"] for r in moved] == [
            {"old": old_end.isoformat(), "new": new_end.isoformat()}
        ]
    else:
        assert moved == []


def test_message_choices_saved_on_the_page_are_logged(client, db):
    user = make_user(Role.LA_OFFICER)
    sign_in(client, user)
    # switch everything off, then one kind back on
    page = client.get("/account/messages").get_data(as_text=True)
    kinds = sorted(set(_offered(page)))
    assert kinds
    submit(client, "/account/messages", {"kinds": []})
    submit(client, "/account/messages", {"kinds": [kinds[0]]})
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.table_name == "message_preferences")
        .order_by(AuditEvent.id)
    ).all()
    inserted = [r for r in rows if r.action is AuditAction.INSERT]
    deleted = [r for r in rows if r.action is AuditAction.DELETE]
    assert {r.changes["kind"]["new"] for r in inserted} == set(kinds)
    assert [r.changes["kind"]["old"] for r in deleted] == [kinds[0]]
    assert {r.user_id for r in rows} == {user.id}


def _offered(page: str) -> list[str]:
    return re.findall(r'name="kinds"[^>]*value="([^"]+)"', page) + re.findall(
        r'value="([^"]+)"[^>]*name="kinds"', page
    )
