"""The mapping between llmchoose's knowledge base and the genai-prices catalogue.

The shipped mapping (``genai_prices_map.yaml`` beside this module) is data; a project
overrides it entry by entry with its own file in the same format.
"""

from __future__ import annotations

import copy
import fnmatch
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from llmchoose.errors import InputError
from llmchoose.loading.messages import validation_errors
from llmchoose.loading.paths import PROJECT_DIR
from llmchoose.loading.yamlio import load_yaml
from llmchoose.schemas.common import Id

__all__ = [
    "PROJECT_MAPPING",
    "FamilyRule",
    "Mapping",
    "OfferingMatch",
    "check_linear",
    "load_mapping",
]

SHIPPED = Path(__file__).resolve().parent / "genai_prices_map.yaml"
PROJECT_MAPPING = Path(PROJECT_DIR) / "genai-prices-map.yaml"

ProviderKind = Literal["model-vendor", "cloud-platform", "open-weights-host"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class OfferingMatch(_Strict):
    """An explicit match: this offering's price is that catalogue model's."""

    provider: str
    model: str


class ImportProvider(_Strict):
    as_: Id | None = Field(None, alias="as")
    kind: ProviderKind | None = None


class ImportRules(_Strict):
    default_kind: ProviderKind = "cloud-platform"
    providers: dict[str, ImportProvider] = Field(default_factory=dict)


class FamilyRule(_Strict):
    pattern: str
    family: Id
    vendor: str
    open_weights: bool

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        if len(value) > MAX_PATTERN:
            raise ValueError(f"a pattern is at most {MAX_PATTERN} characters")
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        check_linear(value)
        return value


MAX_PATTERN = 300
MAX_NAME = 300  # characters of a catalogue name a pattern is matched against


def _parse(pattern: str) -> Any:
    import importlib

    try:
        parser = importlib.import_module("re._parser")  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        parser = importlib.import_module("sre_parse")
    return parser.parse(pattern)


def check_linear(pattern: str) -> None:
    """Refuse a pattern Python's backtracking engine could take exponential time on.

    That happens when a repeated part can itself match in several ways: a quantifier
    on a group holding another quantifier, an alternation or a backreference
    (``(a+)+``, ``(a|aa)*``, ``(a?){30}``), and grows polynomially with each further
    repeat. Such patterns are never needed to recognise a model family, so they are
    refused instead of being run with a time limit.
    """
    import re._constants as c  # type: ignore[import-not-found]

    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    unbounded = 0

    def walk(items: Any, repeated: bool) -> None:
        nonlocal unbounded
        for op, arg in items:
            if op in repeats:
                _, high, body = arg
                if repeated:
                    raise ValueError(_NESTED)
                unbounded += high > 1
                walk(body, high > 1)
            elif op in (c.BRANCH,):
                if repeated:
                    raise ValueError(_NESTED)
                for branch in arg[1]:
                    walk(branch, repeated)
            elif op in (c.GROUPREF, c.GROUPREF_EXISTS):
                raise ValueError("backreferences are not allowed in a pattern")
            elif op == c.SUBPATTERN:
                walk(arg[-1], repeated)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(arg[1], repeated)

    walk(_parse(pattern), False)
    # Each repeat multiplies the ways to try a name: three (".*a.*b.*c") already make
    # a cubic search.
    if unbounded > 2:
        raise ValueError("a pattern may repeat (*, +, {n,m}) at most two parts")


_NESTED = (
    "a repeated group may not hold another quantifier or an alternation "
    "(it can make matching take exponential time); write it more simply"
)


class Mapping(_Strict):
    version: Literal[1] = 1
    providers: dict[Id, list[str]] = Field(default_factory=dict)
    offerings: dict[str, OfferingMatch | Literal["skip"]] = Field(default_factory=dict)
    import_: ImportRules = Field(default_factory=ImportRules, alias="import")
    families: list[FamilyRule] = Field(default_factory=list)

    def genai_providers_for(self, provider_id: str, available: list[str]) -> list[str]:
        """The catalogue providers holding this llmchoose provider's prices, in order."""
        found: list[str] = []
        for pattern in self.providers.get(provider_id, []):
            names = (
                sorted(a for a in available if fnmatch.fnmatchcase(a, pattern))
                if "*" in pattern
                else [pattern]
            )
            found += [n for n in names if n not in found]
        return found

    def import_rule(self, genai_provider: str) -> ImportProvider:
        rule = self.import_.providers.get(genai_provider)
        if rule is not None:
            return rule
        for pattern in sorted(self.import_.providers):
            if "*" in pattern and fnmatch.fnmatchcase(genai_provider, pattern):
                return self.import_.providers[pattern]
        return ImportProvider()

    def family_of(self, model_ref: str) -> FamilyRule | None:
        text = model_ref.lower()[:MAX_NAME]
        return next((r for r in self.families if re.search(r.pattern, text)), None)


def _merge(base: dict, overlay: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _read(path: Path) -> dict[str, Any]:
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("a mapping file is a YAML mapping", file=path, line=1)
    return data


def load_mapping(user_file: Path | None = None) -> Mapping:
    """The shipped mapping, overridden by ``user_file`` (or the project's mapping file)."""
    data = _read(SHIPPED)
    override = user_file
    if override is None and PROJECT_MAPPING.is_file():
        override = PROJECT_MAPPING
    raw: Any = data
    if override is not None:
        raw = _read(Path(override))
        data = _merge(data, raw)
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        errors = validation_errors(exc, model=Mapping, raw=raw, file=override or SHIPPED)
        raise errors[0] from None
