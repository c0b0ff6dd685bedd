"""State shared by the requests of one batchUpdate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import fieldmask
from ..calc import Calc
from ..errors import RequestError
from ..models import EmulatorState, Spreadsheet


@dataclass
class BatchContext:
    state: EmulatorState
    spreadsheet: Spreadsheet
    identity: str

    def new_id(self) -> int:
        return self.state.new_int_id(self.spreadsheet.used_ids() | {0})

    def calc(self) -> Calc:
        """An evaluator over the spreadsheet as it stands now."""
        return Calc(self.spreadsheet)


def require(payload: dict[str, Any], key: str) -> Any:
    if key not in payload:
        raise RequestError(f"{key} is required.")
    return payload[key]


def update_mask(payload: dict[str, Any]) -> fieldmask.Mask:
    """The `fields` mask of an update request; Google refuses an empty one."""
    text = payload.get("fields")
    if not text:
        raise RequestError("At least one field must be updated, but 'fields' is empty.")
    try:
        return fieldmask.parse(str(text))
    except fieldmask.MaskError as exc:
        raise RequestError(str(exc)) from None
