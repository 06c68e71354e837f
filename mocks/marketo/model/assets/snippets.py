"""Snippets (Adobe's Snippets page): reusable content of one section, made empty and then
given content of type HTML or Text, or DynamicContent on an approved segmentation with
content per segment; drafted and approved; one that emails or landing pages use may be
neither unapproved nor deleted. There is no query by name."""

from __future__ import annotations

from vendorsim.mocks.core.bodies import whole_number
from vendorsim.mocks.core.locking import locked

from ..errors import MarketoError
from .common import Ref, flag
from .versioned import Asset, Kind, VersionedStore

CONTENT_TYPES = ("HTML", "Text", "DynamicContent")
SNIPPET_ANSWERS = frozenset({"update", "approve", "unapprove", "clone"})


class SnippetStore(VersionedStore):
    kind = Kind("snippet", "Snippet", "SN", ("Snippet",), in_programs=True,
                full_answers=SNIPPET_ANSWERS)

    def render(self, asset: Asset, status: str, version: dict) -> dict:
        out = self.base(asset, status)
        out["folder"] = {"type": asset.folder[0], "value": asset.folder[1],
                         "folderName": self.world.tree.name(asset.folder)}
        return out

    def check_approve(self, asset: Asset, draft: dict) -> None:
        if not draft["content"]["value"]:
            raise MarketoError("709", "A snippet needs content to be approved")

    def users(self, asset: Asset) -> list[tuple[str, Ref]]:
        found: list[tuple[str, Ref]] = []
        for store, label in ((self.world.emails, "email"),
                             (self.world.landing_pages, "landing page")):
            for other in store.assets.values():
                for version in (other.draft, other.approved):
                    if version is not None and any(
                            s.get("type") == "Snippet" and s.get("ref") == asset.id
                            for s in version["sections"].values()):
                        found.append((f"{label} {other.id}", other.folder))
                        break
        return found

    def live(self, snippet_id: int | None) -> Asset:
        """A snippet to embed: it exists and is approved (709)."""
        found = self.assets.get(snippet_id or 0)
        if found is None or found.approved is None:
            raise MarketoError("709", f"Snippet '{snippet_id}' not found or not approved")
        return found

    def seed_content(self, asset_id: int, content: object) -> None:
        if isinstance(content, dict):
            self.set_content(asset_id, content.get("type"), content.get("value"))
        else:
            self.set_content(asset_id, "HTML", content)

    def probe(self, asset: Asset, status: str) -> None:
        self.content(asset.id, status)
        if asset.latest()["segmentation"] is not None:
            self.dynamic_content(asset.id, None)

    @locked
    def create(self, form: dict) -> list[dict]:
        version = {"content": {"type": "HTML", "value": ""}, "segmentation": None,
                   "dynamic": {}}
        asset = self.add(form.get("name"), form.get("folder"), form.get("description"),
                         version)
        return [self.render(asset, "draft", version)]

    @locked
    def update_meta(self, asset_id: int, form: dict) -> list[dict]:
        """Name and description; isArchive is taken and has no other effect here."""
        flag(form.get("isArchive"), "isArchive")
        return self.update(asset_id, form.get("name"), form.get("description"))

    @locked
    def content(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        found = asset.versions(status) if asset else []
        if not found:
            return []
        content = found[0][1]["content"]
        return [{"type": content["type"], "content": content["value"]}]

    @locked
    def set_content(self, asset_id: int, kind: object, content: object) -> list[dict]:
        """Text or HTML, or DynamicContent with the segmentation's id as the content."""
        if not kind:
            raise MarketoError("701", what="type")
        if kind not in CONTENT_TYPES:
            raise MarketoError("1003", f"Invalid type '{str(kind)[:40]}': one of "
                                       f"{', '.join(CONTENT_TYPES)}")
        if content is None or content == "":
            raise MarketoError("701", what="content")
        segmentation = None
        if kind == "DynamicContent":
            segmentation = self.world.segmentations.live(whole_number(content, 1)).id
        asset, draft = self.editing(asset_id)
        draft["content"] = {"type": kind, "value": str(content)}
        if segmentation != draft["segmentation"]:
            draft["segmentation"], draft["dynamic"] = segmentation, {}
        self.save(asset, draft)
        return [{"id": asset.id}]

    @locked
    def dynamic_content(self, asset_id: int, status: str | None) -> list[dict]:
        asset = self.assets.get(asset_id)
        found = asset.versions(status) if asset else []
        if asset is None or not found:
            return []
        version = found[0][1]
        segmentation = self.world.segmentations.get(version["segmentation"])
        if segmentation is None:
            raise MarketoError("709", f"Snippet '{asset_id}' has no dynamic content")
        own = version["dynamic"]
        return [{"id": asset.id, "segmentation": segmentation.id,
                 "content": [{"segmentId": s.id, "segmentName": s.name,
                              "type": own.get(str(s.id), {}).get("type", "HTML"),
                              "content": own.get(str(s.id), {}).get("value", "")}
                             for s in segmentation.segments],
                 "createdAt": self.base(asset, found[0][0])["createdAt"],
                 "updatedAt": self.base(asset, found[0][0])["updatedAt"]}]

    @locked
    def set_dynamic_content(self, asset_id: int, segment_id: int, form: dict) -> list[dict]:
        asset, draft = self.editing(asset_id)
        segmentation = self.world.segmentations.get(draft["segmentation"])
        if segmentation is None:
            raise MarketoError("709", f"Snippet '{asset_id}' has no dynamic content")
        if segment_id not in {s.id for s in segmentation.segments}:
            raise MarketoError("1003", f"Segment '{segment_id}' is not in segmentation "
                                       f"{segmentation.id}")
        kind, value = form.get("type") or "HTML", form.get("value")
        if kind not in ("HTML", "Text"):
            raise MarketoError("1003", "type is HTML or Text")
        if value is None:
            raise MarketoError("701", what="value")
        draft["dynamic"][str(segment_id)] = {"type": kind, "value": str(value)}
        self.save(asset, draft)
        return [{"id": asset.id}]
