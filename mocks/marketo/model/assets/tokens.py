"""My Tokens (Adobe's Tokens page): named values on a folder or program, inherited by what
lies below, where a token of the same name overrides the inherited one. Create replaces a
token of the same name; names hold at most 50 characters; the types are date (yyyy-MM-dd),
number, rich text, score (a signed 32-bit whole number), sfdc campaign and text."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from vendorsim.mocks.core.clock import Clock
from vendorsim.mocks.core.locking import locked

from ... import facts
from ..errors import MarketoError
from .common import Ref, app_url

if TYPE_CHECKING:
    from .world import AssetWorld

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
SCORE = re.compile(r"[+-]?\d{1,10}")


@dataclass
class Token:
    name: str
    type: str
    value: str


def check_token(name: object, kind: object, value: object) -> Token:
    """A token as the create call gives it (701 blank, 1003 wrong type or value)."""
    if not isinstance(name, str) or not name.strip():
        raise MarketoError("701", what="name")
    if len(name) > facts.TOKEN_NAME_MAX:
        raise MarketoError("1003", f"Token names hold at most {facts.TOKEN_NAME_MAX} "
                                   "characters")
    if not isinstance(kind, str) or not kind:
        raise MarketoError("701", what="type")
    if kind not in facts.TOKEN_TYPES:
        raise MarketoError("1003", f"Invalid token type '{kind[:40]}': one of "
                                   f"{', '.join(facts.TOKEN_TYPES)}")
    if not isinstance(value, str) or value == "":
        raise MarketoError("701", what="value")
    good = {"date": DATE.fullmatch(value) is not None,
            "number": NUMBER.fullmatch(value) is not None,
            "score": SCORE.fullmatch(value) is not None and -2**31 <= int(value) < 2**31}
    if not good.get(kind, True):
        raise MarketoError("1003", f"Invalid value '{value[:40]}' for a {kind} token")
    return Token(name, kind, value)


class TokenStore:
    """The My Tokens of every folder and program of one instance."""

    def __init__(self, lock: threading.RLock, clock: Clock, world: AssetWorld) -> None:
        self.lock = lock
        self.clock = clock
        self.world = world
        self.tokens: dict[Ref, dict[str, Token]] = {}

    def _place(self, folder_id: int, folder_type: object) -> Ref:
        kind = folder_type or "Folder"
        if kind not in ("Folder", "Program"):
            raise MarketoError("1003", f"Invalid folderType '{str(kind)[:40]}': Folder or "
                                       "Program")
        ref: Ref = (str(kind), folder_id)
        return self.world.tree.need(ref, "702")

    def _render(self, ref: Ref, tokens: list[Token]) -> list[dict]:
        code = "PG" if ref[0] == "Program" else "MF"
        return [{"folder": {"type": ref[0], "value": ref[1]},
                 "tokens": [{"name": t.name, "type": t.type, "value": t.value,
                             "computedUrl": app_url(code, ref[1])} for t in tokens]}]

    def visible(self, ref: Ref) -> list[Token]:
        """The folder's own tokens and those inherited from above (the nearest wins)."""
        seen: dict[str, Token] = {}
        for place in self.world.tree.lineage(ref):
            for name, token in self.tokens.get(place, {}).items():
                seen.setdefault(name, token)
        return list(seen.values())

    @locked
    def read(self, folder_id: int, folder_type: object) -> list[dict]:
        ref = self._place(folder_id, folder_type)
        return self._render(ref, self.visible(ref))

    @locked
    def create(self, folder_id: int, form: dict) -> list[dict]:
        """Create (or replace) a token: name, type, value and folderType are needed."""
        if not form.get("folderType"):
            raise MarketoError("701", what="folderType")
        ref = self._place(folder_id, form.get("folderType"))
        token = check_token(form.get("name"), form.get("type"), form.get("value"))
        self.tokens.setdefault(ref, {})[token.name] = token
        return self._render(ref, [token])

    @locked
    def delete(self, folder_id: int, form: dict) -> list[dict]:
        """Delete a token by name and type from the folder that holds it."""
        ref = self._place(folder_id, form.get("folderType"))
        name, kind = form.get("name"), form.get("type")
        if not name:
            raise MarketoError("701", what="name")
        if not kind:
            raise MarketoError("701", what="type")
        own = self.tokens.get(ref, {})
        found = own.get(str(name))
        if found is None or found.type != kind:
            raise MarketoError("702", f"Token '{str(name)[:50]}' of type '{str(kind)[:40]}' "
                                      "not found in this folder")
        del own[found.name]
        return [{"id": folder_id}]

    # -- what other parts use ----------------------------------------------------------
    def copy(self, source: Ref, target: Ref) -> None:
        if source in self.tokens:
            self.tokens[target] = {n: Token(t.name, t.type, t.value)
                                   for n, t in self.tokens[source].items()}

    def drop(self, ref: Ref) -> None:
        self.tokens.pop(ref, None)

    # -- seeds and snapshots ---------------------------------------------------------
    def seed(self, specs: object) -> None:
        if not isinstance(specs, list):
            raise ValueError("tokens is a list of {folder: {id, type}, name, type, value}")
        for spec in specs:
            folder = spec.get("folder") if isinstance(spec, dict) else None
            kind = folder.get("type", "Folder") if isinstance(folder, dict) else None
            number = folder.get("id") if isinstance(folder, dict) else None
            if kind not in ("Folder", "Program") or type(number) is not int or \
                    not self.world.tree.exists((kind, number)):
                raise ValueError(f"token {str(spec)[:60]}: folder is an existing "
                                 "{id, type Folder|Program}")
            value = spec.get("value")
            if isinstance(value, date):  # a YAML scenario's dates arrive as dates
                value = value.isoformat()
            elif isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            try:
                token = check_token(spec.get("name"), spec.get("type"), value)
            except MarketoError as exc:
                raise ValueError(f"token {str(spec.get('name'))[:50]!r}: {exc.text}") from None
            self.tokens.setdefault((kind, number), {})[token.name] = token

    def snapshot(self) -> list[dict]:
        return [{"folder": {"id": ref[1], "type": ref[0]}, "name": t.name, "type": t.type,
                 "value": t.value} for ref, tokens in self.tokens.items()
                for t in tokens.values()]
