"""`llmchoose schema`: JSON Schema of the YAML files, for editor completion."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from llmchoose.cli.output import print_json, to_json


class SchemaKind(str, Enum):
    knowledge = "knowledge"
    criteria = "criteria"
    decision = "decision"


def schema_command(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file format.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of a knowledge, criteria or decision file.

    Example: llmchoose schema decision -o llm-decision.schema.json
    """
    from llmchoose.schemas.export import json_schema

    data = json_schema(kind.value)
    if output is None:
        print_json(data)
    else:
        from llmchoose.loading.yamlio import atomic_write

        atomic_write(output, to_json(data) + "\n")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema_command)
