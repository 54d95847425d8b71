"""Building blocks shared by the knowledge, criteria and decision schemas."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "ID_PATTERN",
    "MAX_NUMBER",
    "HttpUrl",
    "Id",
    "OfferingId",
    "Provenance",
    "Record",
    "Strict",
    "Text",
]

# No count, price or size in any llmchoose file comes near a thousand trillion; a bound
# keeps every sum and product the engine makes of them finite.
MAX_NUMBER = 10**15

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
OfferingId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)?$", max_length=160),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def _http_url(text: str) -> str:
    """An http(s) URL with a host, written the way pydantic's HttpUrl writes it.

    The check is HttpUrl's own (pydantic-core's URL parser); importing HttpUrl itself pulls
    in pydantic.networks and importlib.metadata, a tenth of every command's start-up.
    """
    from pydantic_core import Url

    try:
        url = Url(text)
    except ValueError:
        raise ValueError("expected a URL such as https://example.com/page") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("expected an http:// or https:// URL")
    written = str(url)
    if len(written) > 2083:
        raise ValueError("a URL of at most 2,083 characters")
    return written


HttpUrl = Annotated[str, StringConstraints(max_length=2083), AfterValidator(_http_url)]


class Strict(BaseModel):
    """A schema that refuses unknown keys, so a typo never passes silently."""

    # allow_inf_nan: an infinite price or weight would make every sum infinite.
    # defer_build: validators are built when first used, not when a command imports the
    # schemas (a run on cached knowledge may never validate a record).
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, allow_inf_nan=False, defer_build=True
    )

    @model_validator(mode="after")
    def _numbers_in_range(self) -> Strict:
        # YAML reads `1e308` (no dot) as text, which the schema then turns into a number;
        # so the reader's bound is repeated here for every number a schema holds.
        for name, value in self.__dict__.items():
            kind = type(value)  # exact types first: this runs for every record loaded
            if kind is str or value is None or kind is bool:
                continue
            bad = _out_of_range(value)
            if bad is not None:
                shown = f"{bad:.6g}".replace("e+", "e")
                raise ValueError(f"{name}: {shown} is out of range (at most 1e15)")
        return self


def _out_of_range(value: object) -> float | None:
    """The first number in a value (or one level inside a dict or list) above MAX_NUMBER."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if not abs(value) <= MAX_NUMBER else None
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            number = isinstance(item, int | float) and not isinstance(item, bool)
            if number and not abs(item) <= MAX_NUMBER:
                return item
    return None


class Provenance(Strict):
    """Where one fact comes from and when it was checked there."""

    source: Id = Field(description="Id of a record in `sources`.")
    as_of: dt.date = Field(description="The date the fact was checked in that source.")


class Record(Strict):
    """A knowledge record: an id and the provenance of its facts."""

    id: Id
    source: Id = Field(description="Id of the source the record's facts come from.")
    as_of: dt.date = Field(description="The date the record's facts were checked.")
    provenance: dict[str, Provenance] = Field(
        default_factory=dict,
        description="Per-field provenance (`price`, `compliance.hipaa_baa` …) where a fact "
        "comes from another source or date than the record's own.",
    )
    notes: Text | None = None

    def provenance_of(self, path: str) -> Provenance:
        """The most specific provenance for a dotted field path."""
        if self.provenance:
            key = path  # then each shorter dotted prefix of it: a.b.c, a.b, a
            while True:
                found = self.provenance.get(key)
                if found is not None:
                    return found
                if "." not in key:
                    break
                key = key.rpartition(".")[0]
        return _record_provenance(self.source, self.as_of)


@functools.lru_cache(maxsize=4096)
def _record_provenance(source: str, as_of: dt.date) -> Provenance:
    """A record's own provenance, one object per source and date.

    An engine asks for the provenance of every fact of thousands of offerings, and most
    come from the record's own source; readers never change a provenance, so records
    of one source and date share it. Both values were validated with the record, so
    a second validation is skipped.
    """
    return Provenance.model_construct(source=source, as_of=as_of)
