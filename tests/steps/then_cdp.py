"""Then steps on the CDP side: its profiles and its sources' runs."""

from __future__ import annotations

from datetime import datetime

from pytest_bdd import parsers, then

from .world import World, cell


def _profile(world: World, email: str) -> dict:
    assert world.engine is not None, world.problems
    found = [p for p in world.engine.people.values() if p.get("email") == email]
    assert len(found) == 1, f"{len(found)} profiles with email {email}"
    return found[0]


def _offset(world: World, stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() - world.ran_start()


@then(parsers.re(r'the profile "(?P<email>[^"]+)" has the (?P<attribute>\w+) '
                 r'"(?P<value>[^"]*)"'))
def profile_value(world: World, email: str, attribute: str, value: str) -> None:
    assert _profile(world, email).get(attribute) == cell(value)


@then(parsers.parse("the CDP holds {count:d} profiles"))
def profile_count(world: World, count: int) -> None:
    assert world.engine is not None and len(world.engine.people) == count


@then(parsers.parse("the source ran {runs:d} times and read {count:d} rows"))
def source_runs(world: World, runs: int, count: int) -> None:
    source = world.ran().sources[0]
    assert (source.runs, source.rows) == (runs, count), source


@then(parsers.parse("the source read {count:d} rows in {pages:d} pages"))
def source_pages(world: World, count: int, pages: int) -> None:
    report = world.ran()
    reads = [e for e in report.journal if e["vendor"] == "sfmc" and e["method"] == "GET"
             and "rowset" in e["path"]]
    assert (report.sources[0].rows, len(reads)) == (count, pages)


@then(parsers.parse('the source reports the error "{text}"'))
def source_error(world: World, text: str) -> None:
    errors = world.ran().sources[0].errors
    assert any(text in e for e in errors), errors


@then(parsers.re(r'the connection "(?P<source>[^"]+)" is (?P<outcome>accepted|refused '
                 r'because "(?P<text>[^"]+)")'))
def connection(world: World, source: str, outcome: str, text: str | None) -> None:
    found = next(s for s in world.ran().sources if s.id == source)
    if outcome == "accepted":
        assert found.refused == "", found.refused
    else:
        assert text and text in found.refused, found.refused


@then(parsers.parse('the profile "{email}" reached the CDP at "{at}"'))
def reached_at(world: World, email: str, at: str) -> None:
    source = world.ran().sources[0]
    assert _offset(world, source.first_seen[email]) == world.seconds(at), source.first_seen


@then(parsers.parse('the profile "{email}" has the title "{title}" by "{at}"'))
def changed_by(world: World, email: str, title: str, at: str) -> None:
    """The last change reached the profile no later than `at` (B-B2B-07: ~5 minutes)."""
    source = world.ran().sources[0]
    assert _profile(world, email).get("title") == title
    assert _offset(world, source.last_change[email]) <= world.seconds(at), source.last_change
