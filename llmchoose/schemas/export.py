"""JSON Schema export of the YAML formats."""

from __future__ import annotations

from typing import Any

__all__ = ["json_schema"]


def json_schema(kind: str) -> dict[str, Any]:
    from pydantic import BaseModel

    model: type[BaseModel]
    if kind == "knowledge":
        from llmchoose.schemas.knowledge import KnowledgeFile

        model = KnowledgeFile
    elif kind == "criteria":
        from llmchoose.schemas.criteria import Criterion

        model = Criterion
    elif kind == "decision":
        from llmchoose.schemas.decision import Decision

        model = Decision
    else:
        from llmchoose.errors import InputError

        raise InputError(f"unknown schema '{kind}'", hint="knowledge, criteria or decision")
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"llmchoose {kind} file"
    return schema
