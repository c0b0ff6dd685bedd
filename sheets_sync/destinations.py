"""Where new alerts are sent: the `[destinations.NAME]` tables of sheets-sync.toml or of a
fleet file. A Slack incoming webhook, an email over SMTP, or any URL that takes JSON.

Secrets stay out of the file: `url_env` and `password_env` name environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from .errors import ConfigError

DESTINATION_TYPES = ("slack", "email", "webhook")


class _Destination(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = ""  # the table's name: what the record of sent alerts is kept under

    @property
    def label(self) -> str:
        return f"{self.name} ({getattr(self, 'type', '?')})"


class _UrlDestination(_Destination):
    url: str | None = None
    url_env: str | None = None

    @model_validator(mode="after")
    def _one_url(self) -> _UrlDestination:
        if bool(self.url) == bool(self.url_env):
            raise ValueError("give the webhook address as url, or the name of an environment "
                             "variable holding it as url_env (one of the two)")
        return self

    def address(self, environ: Mapping[str, str]) -> str:
        if self.url:
            return self.url
        value = environ.get(self.url_env or "", "").strip()
        if not value:
            raise ConfigError(f"the environment variable {self.url_env} is not set",
                              hint="set it to the webhook address, or give url in the file")
        return value


class SlackDestination(_UrlDestination):
    """A Slack incoming webhook (https://api.slack.com/messaging/webhooks): one message
    per alert."""

    type: Literal["slack"]


class WebhookDestination(_UrlDestination):
    """Any URL that takes a JSON POST: one request per alert, with the alert's id."""

    type: Literal["webhook"]
    headers: dict[str, str] = Field(default_factory=dict)


class EmailDestination(_Destination):
    """An email over SMTP: one message per run listing every new alert."""

    type: Literal["email"]
    host: str
    port: Annotated[int, Field(gt=0, lt=65536)] = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    sender: str = Field(alias="from")
    to: Annotated[tuple[str, ...], Field(min_length=1)]
    username: str | None = None
    password_env: str | None = None

    def password(self, environ: Mapping[str, str]) -> str | None:
        if not self.password_env:
            return None
        value = environ.get(self.password_env)
        if value is None:
            raise ConfigError(f"the environment variable {self.password_env} is not set",
                              hint="set it to the SMTP password")
        return value


Destination = Annotated[SlackDestination | EmailDestination | WebhookDestination,
                        Field(discriminator="type")]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Destination)


def parse_destinations(tables: Any, where: str,
                       environ: Mapping[str, str] | None = None) -> tuple[Destination, ...]:
    """`[destinations.NAME]` tables -> destinations; every address and password is checked
    here, so a missing variable stops the run before anything is written."""
    env = os.environ if environ is None else environ
    if tables is None:
        return ()
    if not isinstance(tables, Mapping):
        raise ConfigError(f"{where}: destinations must be tables like [destinations.team-slack]")
    found = []
    for name, table in tables.items():
        if not isinstance(table, Mapping):
            raise ConfigError(f"{where}: [destinations.{name}] must be a table",
                              hint=f"type = one of {', '.join(DESTINATION_TYPES)}")
        if table.get("type") not in DESTINATION_TYPES:
            raise ConfigError(f"{where}: [destinations.{name}] type must be one of "
                              f"{', '.join(DESTINATION_TYPES)}, got {table.get('type')!r}")
        try:
            destination = _ADAPTER.validate_python({**table, "name": str(name)})
        except ValidationError as exc:
            raise ConfigError(f"{where}: [destinations.{name}] {_first_error(exc)}") from None
        try:
            if isinstance(destination, _UrlDestination):
                destination.address(env)
            if isinstance(destination, EmailDestination):
                destination.password(env)
        except ConfigError as exc:
            raise ConfigError(f"{where}: [destinations.{name}] {exc.message}",
                              hint=exc.hint) from None
        found.append(destination)
    return tuple(found)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"][1:] if part not in DESTINATION_TYPES)
    message = error["msg"].removeprefix("Value error, ")
    return f"{field}: {message}" if field else message
