"""Snippets and files through the asset API (issue 35; Adobe's Snippets and Files pages)."""

from __future__ import annotations

from tests.helpers import MarketoCaller
from tests.marketo.asset_helpers import FILES, SNIPPETS, codes, form, get, no_assets, only, ref
from vendorsim.mocks.marketo.model.instance import MarketoInstance

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def test_snippet_life(mkto: MarketoCaller) -> None:
    made = only(form(mkto, "/snippets.json", name="Footer", folder=ref(SNIPPETS),
                     description="Legal"))
    sid = made["id"]
    assert made["status"] == "draft" and made["folder"]["folderName"] == "Snippets"
    assert codes(form(mkto, f"/snippet/{sid}/approveDraft.json")) == ["709"]  # empty
    assert only(form(mkto, f"/snippet/{sid}/content.json", type="HTML",
                     content="<p>(c) Acme</p>")) == {"id": sid}
    assert only(get(mkto, f"/snippet/{sid}/content.json")) == {"type": "HTML",
                                                               "content": "<p>(c) Acme</p>"}
    assert only(form(mkto, f"/snippet/{sid}/approveDraft.json"))["status"] == "approved"
    form(mkto, f"/snippet/{sid}/content.json", type="Text", content="(c) Acme Inc")
    assert only(get(mkto, f"/snippet/{sid}/content.json", status="draft"))["type"] == "Text"
    assert only(get(mkto, f"/snippet/{sid}/content.json"))["type"] == "HTML"
    assert only(form(mkto, f"/snippet/{sid}/discardDraft.json")) == {"id": sid}
    renamed = only(form(mkto, f"/snippet/{sid}.json", name="Legal footer", isArchive="false"))
    assert renamed["name"] == "Legal footer"
    assert codes(form(mkto, f"/snippet/{sid}.json", isArchive="maybe")) == ["1003"]
    listed = get(mkto, "/snippets.json", status="approved")["result"]
    assert [s["id"] for s in listed] == [sid]
    copy = only(form(mkto, f"/snippet/{sid}/clone.json", name="Copy", folder=ref(SNIPPETS)))
    assert copy["status"] == "draft"
    assert only(form(mkto, f"/snippet/{sid}/unapprove.json"))["status"] == "draft"
    assert only(form(mkto, f"/snippet/{sid}/delete.json")) == {"id": sid}
    assert no_assets(get(mkto, f"/snippet/{sid}.json"))
    assert codes(form(mkto, f"/snippet/{copy['id']}/content.json", type="Flash",
                      content="x")) == ["1003"]
    assert codes(form(mkto, f"/snippet/{copy['id']}/content.json", type="HTML")) == ["701"]


def test_dynamic_snippet(mkto: MarketoCaller, db: MarketoInstance) -> None:
    db.seed({"segmentations": [{"id": 1001, "name": "Lang", "segments": [
        {"id": 3001, "name": "French"}]}]})
    sid = only(form(mkto, "/snippets.json", name="Hello", folder=ref(SNIPPETS)))["id"]
    assert codes(get(mkto, f"/snippet/{sid}/dynamicContent.json")) == ["709"]
    only(form(mkto, f"/snippet/{sid}/content.json", type="DynamicContent", content="1001"))
    only(form(mkto, f"/snippet/{sid}/dynamicContent/3001.json", type="HTML",
              value="<p>Bonjour</p>"))
    shown = only(get(mkto, f"/snippet/{sid}/dynamicContent.json"))
    assert {c["segmentName"]: c["content"] for c in shown["content"]} == \
        {"French": "<p>Bonjour</p>", "Default": ""}
    assert codes(form(mkto, f"/snippet/{sid}/dynamicContent/9.json", value="x")) == ["1003"]
    assert codes(form(mkto, f"/snippet/{sid}/content.json", type="DynamicContent",
                      content="4242")) == ["709"]


def test_files(mkto: MarketoCaller) -> None:
    def put(name: str, data: bytes = PNG, **extra: object) -> dict:
        return mkto.session.post(f"{mkto.base}/rest/asset/v1/files.json",
                                 data={"name": name, "folder": ref(FILES), **extra},
                                 files={"file": ("logo.png", data, "image/png")}).json()

    made = only(put("logo.png", description="Logo"))
    assert (made["mimeType"], made["size"], made["folder"]["name"]) == \
        ("image/png", len(PNG), "Images and Files")
    assert made["url"].endswith("/rs/123-ABC-456/images/logo.png")
    assert only(get(mkto, f"/file/{made['id']}.json"))["name"] == "logo.png"
    assert only(get(mkto, "/file/byName.json", name="logo.png"))["id"] == made["id"]
    replaced = only(put("logo.png", PNG + b"more"))  # the same name: replaced
    assert replaced["id"] == made["id"] and replaced["size"] == len(PNG) + 4
    assert codes(put("logo.png", insertOnly="true")) == ["709"]
    assert codes(put("x.png", folder=ref(22))) == ["711"]
    content = mkto.session.post(f"{mkto.base}/rest/asset/v1/file/{made['id']}/content.json",
                                data={"id": made["id"]},
                                files={"file": ("logo.gif", b"GIF89a", "image/gif")}).json()
    assert only(content)["mimeType"] == "image/gif"
    assert codes(form(mkto, "/files.json", name="x", folder=ref(FILES))) == ["613"]
    no_part = mkto.session.post(f"{mkto.base}/rest/asset/v1/files.json",
                                files={"other": ("a", b"a")}, data={"name": "a",
                                                                   "folder": ref(FILES)})
    assert codes(no_part.json()) == ["701"]
    assert [f["id"] for f in get(mkto, "/files.json", folder=ref(FILES))["result"]] == \
        [made["id"]]
    assert no_assets(get(mkto, "/files.json", folder=ref(27)))
