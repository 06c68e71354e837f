"""Steps about how the CDP's Marketo source read Marketo (B-B2B-01/07): bulk extract for the
backfill, the activity feed for ongoing changes, companies and opportunities as accounts."""

from __future__ import annotations

from pytest_bdd import parsers, then

from .world import World


def _calls(world: World, path_part: str, method: str) -> list[dict]:
    return [e for e in world.ran().journal if e["vendor"] == "marketo"
            and e["method"] == method and path_part in e["path"]]


@then(parsers.parse("the backfill read Marketo through {count:d} bulk extract jobs"))
def backfill_jobs(world: World, count: int) -> None:
    assert len(_calls(world, "/bulk/v1/leads/export/create.json", "POST")) == count
    files = _calls(world, "/file.json", "GET")
    assert len(files) == count and all(e["status"] == 200 for e in files)


@then(parsers.parse("ongoing changes were read from Marketo's activity feed, and {count:d} "
                    "changed leads fetched"))
def read_from_activities(world: World, count: int) -> None:
    """Every 5-minute run reads the feed; leads are fetched only when the feed names some
    (one call per change here), never by walking every lead id."""
    runs = world.ran().sources[0].runs
    feed = _calls(world, "/rest/v1/activities/leadchanges.json", "GET")
    assert len([e for e in feed if not e["codes"]]) == runs - 1  # 602s are retried
    reads = [e for e in world.ran().journal if e["vendor"] == "marketo"
             and e["path"] == "/rest/v1/leads.json" and e["method"] == "GET"]
    assert len(reads) == count, reads


@then(parsers.parse('the CDP holds the account "{account}" with the {attribute} "{value}"'))
def account_value(world: World, account: str, attribute: str, value: str) -> None:
    assert world.engine is not None
    assert world.engine.accounts[account].get(attribute) == value


@then(parsers.parse('the account "{account}" has the opportunity "{name}" at stage "{stage}"'))
def account_opportunity(world: World, account: str, name: str, stage: str) -> None:
    assert world.engine is not None
    found = world.engine.facts.opportunities.get(account, [])
    assert any(o.get("name") == name and o.get("stage") == stage for o in found), found
