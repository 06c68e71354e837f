"""The Host router remembers what each Host named (issue 34: a client sends the same Host on
every call): the vendor and tenant it answers from memory are the ones working the Host out
again gives, for any Host, and the memory stays bounded whatever a fuzz run sends."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vendorsim.mocks.cloud import Cloud

HOSTS = st.one_of(
    st.sampled_from(["123-abc-456.mktorest.com", "123-ABC-456.mktorest.com:443",
                     "mc563885gzs27c5t9-63k636ttgm.rest.marketingcloudapis.com",
                     "mc563885gzs27c5t9-63k636ttgm.auth.marketingcloudapis.com",
                     "api.bombora.com", "api.demandbase.com", "localhost:8080", "",
                     "123-abc-456.example.com", "api.bombora.com.example", "123-abc-457."
                     "mktorest.com", "api.demandbase.comx"]),
    st.text(max_size=40))

CLOUD = Cloud(clock="virtual")


def _named(found: object) -> object:
    return None if found is None else (found[0].name, found[1])  # type: ignore[index]


@settings(max_examples=200)
@given(hosts=st.lists(HOSTS, max_size=8))
def test_a_remembered_host_names_what_working_it_out_names(hosts: list[str]) -> None:
    router = CLOUD.router
    for host in hosts + hosts:
        assert _named(router.match(host)) == _named(router._match(host))


def test_the_memory_of_hosts_is_bounded() -> None:
    router = Cloud(clock="virtual").router
    for n in range(router.KNOWN * 2 + 5):
        router.match(f"{n}-abc-456.mktorest.com")
    assert 0 < len(router._known) <= router.KNOWN
    assert _named(router.match("5-ABC-456.mktorest.com")) == ("marketo", "5-ABC-456")


def test_a_host_too_long_to_be_one_is_not_remembered() -> None:
    router = Cloud(clock="virtual").router
    long_host = "a" * 300 + ".mktorest.com"
    assert router.match(long_host) == router._match(long_host)
    assert long_host not in router._known
