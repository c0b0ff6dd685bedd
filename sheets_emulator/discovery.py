"""Check emulator requests against Google's discovery documents for Sheets v4 and Drive v3.

The documents ship inside google-api-python-client
(``googleapiclient/discovery_cache/documents/{sheets.v4,drive.v3}.json``) and are read from
the installed package; nothing is copied into this project.

Body checking follows the rules of Google's JSON-to-proto front end, so that an emulator
rejects what Google rejects, with the same words:

* a field may be spelled in lowerCamel (``addSheet``) or snake_case (``add_sheet``);
  error locations always use snake_case, list items are ``[i]``;
* JSON ``null`` means "unset";
* a single value given to a repeated field counts as a one-item list, and a list nested in a
  repeated field is flattened, except for ``ListValue`` items (``ValueRange.values``);
* integers accept integral JSON numbers and decimal strings; booleans accept ``true``/``false``
  and the strings Google accepts (``"True"``, ``"false"``, ``"1"`` ...); enums accept their
  exact names and, as proto3 JSON allows, their numbers (the position in the document's list).

Drive v3 is more lenient than Sheets: it ignores query parameters and body fields it does not
define (the values it does define are still checked).

Not checked, because the documents do not describe them: oneof groups (two members of one
union set together) and the paths inside a field mask.
"""

from __future__ import annotations

import base64
import binascii
import importlib.resources
import importlib.util
import json
import math
import re
import sys
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .exceptions import EXTRA, DiscoveryUnavailableError

__all__ = [
    "DiscoveryUnavailableError",
    "DiscoveryValidator",
    "MethodMatch",
    "Violation",
]

_DOCUMENTS = {"sheets": "sheets.v4.json", "drive": "drive.v3.json"}
_PACKAGES = {"sheets": "google.apps.sheets.v4", "drive": "google.apps.drive.v3"}
_TYPE_PREFIX = "type.googleapis.com/"

# Parameters every Google API accepts on every method (the documents list most of them
# under their top-level "parameters").
_GLOBAL_PARAMS = frozenset(
    {
        "$.xgafv",
        "access_token",
        "alt",
        "callback",
        "fields",
        "key",
        "oauth_token",
        "prettyPrint",
        "quotaUser",
        "upload_protocol",
        "uploadType",
        "userIp",
    }
)

# APIs that refuse query parameters they do not define. Drive v3 ignores them: the
# recordings hold files.get?includeItemsFromAllDrives=True (a files.list parameter) answered
# 200.
_REJECTS_UNKNOWN_QUERY = frozenset({"sheets"})

# APIs that ignore body fields they do not define. gspread's share() sends
# {"type", "role", "withLink"} to drive.permissions.create, and Drive v3 accepts it although
# withLink is a Drive v2 field.
_IGNORES_UNKNOWN_FIELDS = frozenset({"drive"})

# Path parameters whose value is an A1 range: a sheet title may hold "/", so a client that
# does not percent-encode it still reaches the method.
_MULTI_SEGMENT_PARAMS = frozenset({"range"})

# The request field a method's body binds to, when the body is not the whole request
# message. Google names it in error locations: 'data.values' for values.update (recorded);
# append and create are assumed to follow the same pattern.
_BODY_FIELDS = {
    "sheets.spreadsheets.values.update": "data",
    "sheets.spreadsheets.values.append": "data",
    "sheets.spreadsheets.create": "spreadsheet",
}

# Proto type names Google reports that cannot be derived from the documents (the type is
# nested inside another message).
_TYPE_NAME_OVERRIDES = {
    "google.apps.sheets.v4.Request": "google.apps.sheets.v4.BatchUpdateSpreadsheetRequest.Request",
    "google.apps.sheets.v4.PieChartLegendPosition": (
        "google.apps.sheets.v4.PieChartSpec.PieChartLegendPosition"
    ),
}
# Enum names whose "..._UNSPECIFIED" value does not spell the type's name.
_ENUM_PREFIX_OVERRIDES = {"INPUT_VALUE_OPTION": "ValueInputOption"}

_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_TIMESTAMP_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
_DURATION_RE = re.compile(r"-?[0-9]+(\.[0-9]{0,9})?s\Z")
_TRUE_STRINGS = frozenset({"true", "t", "yes", "y", "1"})
_FALSE_STRINGS = frozenset({"false", "f", "no", "n", "0"})
_INT32 = (-(2**31), 2**31 - 1)
_UINT32 = (0, 2**32 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_UINT64 = (0, 2**64 - 1)
_FLOAT_MAX = 3.4028234663852886e38


@dataclass(frozen=True)
class MethodMatch:
    api: str
    method_id: str
    path_params: dict[str, str]


@dataclass(frozen=True)
class Violation:
    field: str
    description: str


# --------------------------------------------------------------------------- locations
# A location is a linked chain: None (the root), or (parent, segment) where a segment is a
# snake_case field name (str) or a list index (int). It is rendered only when reporting.

_Loc = tuple[Any, str | int] | None


def _render(loc: _Loc) -> str:
    parts: list[str | int] = []
    while loc is not None:
        loc, segment = loc
        parts.append(segment)
    out = ""
    for segment in reversed(parts):
        if isinstance(segment, int):
            out += f"[{segment}]"
        elif segment.startswith("["):
            out += segment
        else:
            out = f"{out}.{segment}" if out else segment
    return out


def _field_and_parent(loc: _Loc) -> tuple[str, _Loc]:
    """The nearest field name in a location, and the location of the message holding it."""
    while loc is not None:
        parent, segment = loc
        if isinstance(segment, str) and not segment.startswith("["):
            return segment, parent
        loc = parent
    return "", None


def _show(value: object) -> str:
    """A JSON value the way Google prints it in 'Invalid value' messages."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = f"{value:.15g}"
        return text if float(text) == value else f"{value:.17g}"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _invalid_value(loc: _Loc, type_name: str, shown: str) -> Violation:
    where = _render(loc)
    at = f" at '{where}'" if where else ""
    return Violation(where, f"Invalid value{at} ({type_name}), {shown}")


def _invalid_name(loc: _Loc, name: str, reason: str) -> Violation:
    where = _render(loc)
    at = f" at '{where}'" if where else ""
    return Violation(where, f'Invalid JSON payload received. Unknown name "{name}"{at}: {reason}')


def _scalar_object(loc: _Loc) -> Violation:
    name, parent = _field_and_parent(loc)
    return _invalid_value(parent, name, "Starting an object on a scalar field")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


# --------------------------------------------------------------------------- value nodes


class _Node:
    """One proto type; ``check`` appends a Violation for each problem in ``value``."""

    __slots__ = ()
    # Python types that are always valid for this node (a fast path for big bodies).
    fast: frozenset[type] = frozenset()
    accepts_lists = False

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        raise NotImplementedError


class _Any(_Node):
    """google.protobuf.Value: any JSON."""

    __slots__ = ()
    fast = frozenset({str, int, float, bool, dict, list})
    accepts_lists = True

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        return


class _Struct(_Node):
    """google.protobuf.Struct: any JSON object."""

    __slots__ = ()
    fast = frozenset({dict})

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is not None and not isinstance(value, dict):
            out.append(_invalid_value(loc, _TYPE_PREFIX + "google.protobuf.Struct", _show(value)))


class _ListValue(_Node):
    """google.protobuf.ListValue (an array nested in an array)."""

    __slots__ = ("item",)
    accepts_lists = True

    def __init__(self, item: _Node) -> None:
        self.item = item

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            out.append(
                _invalid_value(loc, _TYPE_PREFIX + "google.protobuf.ListValue", _show(value))
            )
            return
        item = self.item
        if isinstance(item, _Any):
            return
        for i, element in enumerate(value):
            if element is not None and type(element) not in item.fast:
                item.check(element, (loc, i), out)


class _String(_Node):
    __slots__ = ()
    fast = frozenset({str})

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None or isinstance(value, str):
            return
        if isinstance(value, dict):
            out.append(_scalar_object(loc))
        else:
            out.append(_invalid_value(loc, "TYPE_STRING", _show(value)))


class _Bytes(_Node):
    __slots__ = ()

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            out.append(_scalar_object(loc))
            return
        if isinstance(value, str):
            padded = (value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4)).encode()
            for altchars in (b"-_", None):
                try:
                    base64.b64decode(padded, altchars=altchars, validate=True)
                except (binascii.Error, ValueError):
                    continue
                return
        out.append(_invalid_value(loc, "TYPE_BYTES", _show(value)))


class _Bool(_Node):
    __slots__ = ()
    fast = frozenset({bool})

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, dict):
            out.append(_scalar_object(loc))
        elif not (isinstance(value, str) and _parse_bool(value) is not None):
            out.append(_invalid_value(loc, "TYPE_BOOL", _show(value)))


def _parse_bool(text: str) -> bool | None:
    lowered = text.lower()
    if lowered in _TRUE_STRINGS:
        return True
    if lowered in _FALSE_STRINGS:
        return False
    return None


def _int_ok(value: object, low: int, high: int) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return low <= value <= high
    if isinstance(value, float):
        return value.is_integer() and low <= value <= high
    if isinstance(value, str):
        return _INT_RE.match(value) is not None and low <= int(value) <= high
    return False


class _Integer(_Node):
    __slots__ = ("high", "kind", "low")

    def __init__(self, kind: str, bounds: tuple[int, int]) -> None:
        self.kind = kind
        self.low, self.high = bounds

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None:
            return
        if type(value) is int and self.low <= value <= self.high:
            return
        if isinstance(value, dict):
            out.append(_scalar_object(loc))
        elif not _int_ok(value, self.low, self.high):
            out.append(_invalid_value(loc, self.kind, _show(value)))


class _Number(_Node):
    __slots__ = ("fast", "kind")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.fast = frozenset({int, float}) if kind == "TYPE_DOUBLE" else frozenset()

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            out.append(_scalar_object(loc))
            return
        number: float | None = None
        if isinstance(value, float):
            number = value
        elif isinstance(value, int) and not isinstance(value, bool):
            number = float(value) if abs(value) <= sys.float_info.max else math.inf
        elif isinstance(value, str):
            if value in ("Infinity", "-Infinity", "NaN"):
                return
            try:
                number = float(value) if value.strip() == value else None
            except ValueError:
                number = None
            if number is not None and not math.isfinite(number):
                number = None
        if number is None or (
            self.kind == "TYPE_FLOAT" and math.isfinite(number) and abs(number) > _FLOAT_MAX
        ):
            out.append(_invalid_value(loc, self.kind, _show(value)))


class _Enum(_Node):
    __slots__ = ("count", "names", "type_url")

    def __init__(self, type_url: str, names: list[str]) -> None:
        self.type_url = type_url
        self.names = frozenset(names)
        self.count = len(names)

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None or (isinstance(value, str) and value in self.names):
            return
        if isinstance(value, dict):
            out.append(_scalar_object(loc))
        elif not self.accepts(value):
            out.append(_invalid_value(loc, self.type_url, _show(value)))

    def accepts(self, value: object) -> bool:
        if isinstance(value, str) and value in self.names:
            return True
        return _int_ok(value, 0, self.count - 1)


class _WellKnownString(_Node):
    """Timestamp, Duration and FieldMask: a JSON string in a fixed format."""

    __slots__ = ("kind", "pattern", "type_url")

    def __init__(self, kind: str, pattern: re.Pattern[str] | None) -> None:
        self.kind = kind
        self.pattern = pattern
        self.type_url = f"{_TYPE_PREFIX}google.protobuf.{kind}"

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None:
            return
        if isinstance(value, str):
            problem = self._problem(value)
        else:
            noun = {"Timestamp": "timestamp", "Duration": "duration"}.get(self.kind, "field mask")
            problem = f"Invalid data type for {noun}, value is {_show(value)}"
        if problem:
            name, _ = _field_and_parent(loc)
            out.append(_invalid_value(loc, self.type_url, f"Field '{name}', {problem}"))

    def _problem(self, text: str) -> str | None:
        if self.pattern is None:
            return None
        if self.kind == "Duration":
            if not text.endswith("s"):
                return "Illegal duration format; duration must end with 's'"
            if not self.pattern.match(text):
                return "Invalid duration format, failed to parse seconds"
            return None
        found = self.pattern.match(text)
        if found is None or not _valid_datetime(found):
            return f"Invalid time format: {text}"
        return None


def _valid_datetime(found: re.Match[str]) -> bool:
    year, month, day, hour, minute, second = (int(found.group(i)) for i in range(1, 7))
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31]
    return (
        1 <= month <= 12 and 1 <= day <= days[month - 1] and hour < 24 and minute < 60
        and second < 60
    )


class _Field:
    __slots__ = ("fast", "name", "node", "repeated")

    def __init__(self, name: str, node: _Node, repeated: bool) -> None:
        self.name = name
        self.node = node
        self.repeated = repeated
        self.fast = node.fast


class _Map(_Node):
    """A JSON object with free keys (discovery "additionalProperties")."""

    __slots__ = ("field",)

    def __init__(self, field: _Field) -> None:
        self.field = field

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            if isinstance(value, list):
                name, _ = _field_and_parent(loc)
                out.append(
                    _invalid_value(loc, "Map", f"Cannot bind a list to map for field '{name}'.")
                )
            else:
                out.append(_invalid_value(loc, "Map", _show(value)))
            return
        field = self.field
        for key, item in value.items():
            if item is None or type(item) in field.fast:
                continue
            _check_field(field, item, (loc, f"[{json.dumps(key, ensure_ascii=False)}]"), out)


class _Message(_Node):
    __slots__ = ("fields", "strict", "type_url")

    def __init__(self, type_url: str, strict: bool) -> None:
        self.type_url = type_url
        self.strict = strict
        self.fields: dict[str, _Field] = {}

    def check(self, value: object, loc: _Loc, out: list[Violation]) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            out.append(_invalid_value(loc, self.type_url, _show(value)))
            return
        fields = self.fields
        for key, item in value.items():
            field = fields.get(key)
            if field is None:
                if self.strict:
                    out.append(_invalid_name(loc, key, "Cannot find field."))
                continue
            if item is None or type(item) in field.fast:
                continue
            if isinstance(item, list) and not field.repeated:
                out.append(
                    _invalid_name(loc, key, "Proto field is not repeating, cannot start list.")
                )
                continue
            _check_field(field, item, (loc, field.name), out)


def _check_field(field: _Field, value: object, loc: _Loc, out: list[Violation]) -> None:
    node = field.node
    if not isinstance(value, list) or not field.repeated:
        node.check(value, loc, out)
        return
    fast = field.fast
    accepts_lists = node.accepts_lists
    for i, item in enumerate(value):
        if item is None or type(item) in fast:
            continue
        if isinstance(item, list) and not accepts_lists:
            _check_field(field, item, loc, out)
        else:
            node.check(item, (loc, i), out)


# --------------------------------------------------------------------------- compiling


_SCALARS: dict[tuple[str, str | None], _Node] = {
    ("string", None): _String(),
    ("string", "byte"): _Bytes(),
    ("string", "int64"): _Integer("TYPE_INT64", _INT64),
    ("string", "uint64"): _Integer("TYPE_UINT64", _UINT64),
    ("string", "google-datetime"): _WellKnownString("Timestamp", _TIMESTAMP_RE),
    ("string", "google-duration"): _WellKnownString("Duration", _DURATION_RE),
    ("string", "google-fieldmask"): _WellKnownString("FieldMask", None),
    ("integer", "int32"): _Integer("TYPE_INT32", _INT32),
    ("integer", "uint32"): _Integer("TYPE_UINT32", _UINT32),
    ("integer", "int64"): _Integer("TYPE_INT64", _INT64),
    ("integer", "uint64"): _Integer("TYPE_UINT64", _UINT64),
    ("integer", None): _Integer("TYPE_INT32", _INT32),
    ("number", "double"): _Number("TYPE_DOUBLE"),
    ("number", "float"): _Number("TYPE_FLOAT"),
    ("number", None): _Number("TYPE_DOUBLE"),
    ("boolean", None): _Bool(),
    ("any", None): _Any(),
}


def _type_url(package: str, name: str) -> str:
    full = f"{package}.{name}"
    return _TYPE_PREFIX + _TYPE_NAME_OVERRIDES.get(full, full)


def _enum_type_name(values: list[str], field_name: str) -> str:
    for value in values:
        for suffix in ("_UNSPECIFIED", "_UNDEFINED"):
            if value.endswith(suffix) and len(value) > len(suffix):
                prefix = value[: -len(suffix)]
                return _ENUM_PREFIX_OVERRIDES.get(
                    prefix, "".join(part.capitalize() for part in prefix.split("_"))
                )
    if field_name.startswith("response") and field_name[8:9].isupper():
        field_name = field_name[8:]
    return _pascal(field_name)


class _Compiler:
    def __init__(self, document: dict[str, Any], package: str, strict: bool) -> None:
        self.schemas: dict[str, Any] = document.get("schemas", {})
        self.package = package
        self.strict = strict
        self.messages: dict[str, _Message] = {}

    def message(self, schema_id: str) -> _Message:
        node = self.messages.get(schema_id)
        if node is None:
            node = _Message(_type_url(self.package, schema_id), self.strict)
            self.messages[schema_id] = node
            self._fill(node, self.schemas.get(schema_id, {}), schema_id)
        return node

    def _fill(self, node: _Message, schema: dict[str, Any], type_name: str) -> None:
        for name, prop in schema.get("properties", {}).items():
            repeated = prop.get("type") == "array"
            element = prop["items"] if repeated else prop
            field = _Field(_snake(name), self.node(element, name, type_name), repeated)
            node.fields[name] = field
            node.fields.setdefault(field.name, field)

    def node(self, schema: dict[str, Any], field_name: str, owner: str) -> _Node:
        ref = schema.get("$ref")
        if ref:
            return self.message(ref)
        kind = schema.get("type")
        if kind == "array":
            return _ListValue(self.node(schema["items"], field_name, owner))
        if kind == "object":
            if "properties" in schema:
                inline_name = f"{owner}.{_pascal(field_name)}"
                inline = _Message(_type_url(self.package, inline_name), self.strict)
                self._fill(inline, schema, inline_name)
                return inline
            extra = schema.get("additionalProperties")
            if extra is not None:
                repeated = extra.get("type") == "array"
                element = extra["items"] if repeated else extra
                return _Map(_Field("value", self.node(element, field_name, owner), repeated))
            return _Struct()
        if "enum" in schema and kind == "string":
            values = list(schema["enum"])
            name = _enum_type_name(values, field_name)
            return _Enum(_type_url(self.package, name), values)
        kind = kind or "any"
        node = _SCALARS.get((kind, schema.get("format"))) or _SCALARS.get((kind, None))
        return node if node is not None else _SCALARS[("any", None)]


# --------------------------------------------------------------------------- methods


@dataclass(frozen=True)
class _Param:
    snake: str
    node: _Node
    repeated: bool


@dataclass(frozen=True)
class _Method:
    api: str
    method_id: str
    http_method: str
    request: _Message | None
    body_field: str | None
    params: dict[str, _Param]  # by discovery name and by snake_case name
    media_upload: bool


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    groups: tuple[tuple[str, str], ...]
    score: tuple[int, int]
    method: _Method


@dataclass(frozen=True)
class _Compiled:
    methods: dict[str, _Method]
    routes: dict[str, tuple[_Route, ...]]


def _template_regex(template: str) -> tuple[re.Pattern[str], tuple[tuple[str, str], ...], int]:
    pieces: list[str] = []
    groups: list[tuple[str, str]] = []
    literal = 0
    position = 0
    for found in re.finditer(r"\{(\+?)([^}]+)\}", template):
        text = template[position : found.start()]
        pieces.append(re.escape(text))
        literal += len(text)
        group = f"p{len(groups)}"
        groups.append((group, found.group(2)))
        spans = found.group(1) == "+" or found.group(2) in _MULTI_SEGMENT_PARAMS
        pieces.append(f"(?P<{group}>{'.+' if spans else '[^/]+'})")
        position = found.end()
    tail = template[position:]
    pieces.append(re.escape(tail))
    literal += len(tail)
    return re.compile("".join(pieces) + r"\Z"), tuple(groups), literal


def _params(compiler: _Compiler, specs: dict[str, Any]) -> dict[str, _Param]:
    params: dict[str, _Param] = {}
    for name, spec in specs.items():
        node = compiler.node({k: v for k, v in spec.items() if k != "repeated"}, name, "")
        param = _Param(snake=_snake(name), node=node, repeated=bool(spec.get("repeated")))
        params[name] = param
        params.setdefault(param.snake, param)
    return params


def _walk_methods(resources: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for resource in resources.values():
        found.extend(resource.get("methods", {}).values())
        found.extend(_walk_methods(resource.get("resources", {})))
    return found


def _compile() -> _Compiled:
    methods: dict[str, _Method] = {}
    routes: dict[str, list[_Route]] = {}
    for api, filename in _DOCUMENTS.items():
        document = _load_document(filename)
        compiler = _Compiler(document, _PACKAGES[api], api not in _IGNORES_UNKNOWN_FIELDS)
        base = "/" + document.get("servicePath", "")
        for spec in _walk_methods(document.get("resources", {})):
            request_ref = spec.get("request", {}).get("$ref")
            method = _Method(
                api=api,
                method_id=spec["id"],
                http_method=spec["httpMethod"].upper(),
                request=compiler.message(request_ref) if request_ref else None,
                body_field=_BODY_FIELDS.get(spec["id"]),
                params=_params(compiler, spec.get("parameters", {})),
                media_upload=bool(spec.get("supportsMediaUpload")),
            )
            methods[method.method_id] = method
            templates = {base + spec["path"], base + spec.get("flatPath", spec["path"])}
            for protocol in spec.get("mediaUpload", {}).get("protocols", {}).values():
                if protocol.get("path"):
                    templates.add(protocol["path"])
            for template in templates:
                pattern, groups, literal = _template_regex(template)
                route = _Route(pattern, groups, (literal, -len(groups)), method)
                routes.setdefault(method.http_method, []).append(route)
    return _Compiled(
        methods=methods,
        routes={
            verb: tuple(sorted(found, key=lambda r: r.score, reverse=True))
            for verb, found in routes.items()
        },
    )


def _load_document(filename: str) -> dict[str, Any]:
    if importlib.util.find_spec("googleapiclient") is None:
        raise DiscoveryUnavailableError(
            "The Sheets/Drive emulator needs Google's discovery documents, which come with "
            "google-api-python-client, and it is not installed.",
            hint=EXTRA,
        )
    resource = (
        importlib.resources.files("googleapiclient")
        / "discovery_cache"
        / "documents"
        / filename
    )
    try:
        with resource.open("r", encoding="utf-8") as handle:
            document: dict[str, Any] = json.load(handle)
    except FileNotFoundError as exc:
        raise DiscoveryUnavailableError(
            f"The installed google-api-python-client has no discovery document {filename}.",
            hint="pip install --upgrade 'sheets-sync[emulator]'",
        ) from exc
    return document


_LOCK = threading.Lock()
_COMPILED: _Compiled | None = None


def _compiled() -> _Compiled:
    global _COMPILED
    if _COMPILED is None:
        with _LOCK:
            if _COMPILED is None:
                _COMPILED = _compile()
    return _COMPILED


# --------------------------------------------------------------------------- public API


class DiscoveryValidator:
    """Matches request paths to discovery methods and checks their parameters and bodies."""

    def __init__(self) -> None:
        compiled = _compiled()
        self._methods = compiled.methods
        self._routes = compiled.routes

    def match(self, http_method: str, path: str) -> MethodMatch | None:
        """The method a request path (no host, no query string) addresses, or None."""
        path = path.split("?", 1)[0]
        for route in self._routes.get(http_method.upper(), ()):
            found = route.pattern.match(path)
            if found is None:
                continue
            params = {name: unquote(found.group(group)) for group, name in route.groups}
            return MethodMatch(route.method.api, route.method.method_id, params)
        return None

    def validate(
        self, match: MethodMatch, query: dict[str, list[str]], body: object | None
    ) -> list[Violation]:
        """Everything Google would reject in the parameters and the JSON body of a request.

        ``query`` maps each parameter to its values (as ``urllib.parse.parse_qs`` returns
        them); ``body`` is the parsed JSON body, None when there is none, or bytes/str for a
        media or multipart upload.
        """
        method = self._methods[match.method_id]
        out: list[Violation] = []
        for name, value in match.path_params.items():
            param = method.params.get(name)
            if param is not None:
                param.node.check(value, (None, param.snake), out)
        self._check_query(method, query, out)
        if method.request is not None and not _skip_body(method, query, body):
            if isinstance(body, dict):
                root: _Loc = (None, method.body_field) if method.body_field else None
                method.request.check(body, root, out)
            elif body is not None:
                out.append(_invalid_name(None, "", "Root element must be a message."))
        return out

    def error_body(self, violations: list[Violation]) -> dict[str, Any]:
        """Google's 400 INVALID_ARGUMENT reply for these violations."""
        return {
            "error": {
                "code": 400,
                "message": "\n".join(v.description for v in violations),
                "status": "INVALID_ARGUMENT",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [
                            {"field": v.field, "description": v.description} for v in violations
                        ],
                    }
                ],
            }
        }

    def _check_query(
        self, method: _Method, query: dict[str, list[str]], out: list[Violation]
    ) -> None:
        for name, values in query.items():
            if name in _GLOBAL_PARAMS:
                continue
            param = method.params.get(name)
            if param is None:
                if method.api not in _REJECTS_UNKNOWN_QUERY:
                    continue
                out.append(
                    Violation(
                        name,
                        f'Invalid JSON payload received. Unknown name "{name}": Cannot bind '
                        f"query parameter. Field '{name}' could not be found in request message.",
                    )
                )
                continue
            if len(values) > 1 and not param.repeated:
                out.append(
                    Violation(
                        param.snake,
                        f"Invalid value at '{param.snake}': the query parameter \"{name}\" is "
                        f"not repeated but was given {len(values)} values.",
                    )
                )
                continue
            for value in values:
                param.node.check(value, (None, param.snake), out)


def _skip_body(method: _Method, query: dict[str, list[str]], body: object) -> bool:
    if isinstance(body, bytes | bytearray | memoryview):
        return True
    if not method.media_upload:
        return False
    upload_type = (query.get("uploadType") or query.get("upload_protocol") or [""])[0]
    return isinstance(body, str) or upload_type.lower() in ("media", "raw")
