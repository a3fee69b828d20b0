"""The builtin loop's tools: one pydantic argument model each, and the schema the model sees.

Each tool's ``input_schema`` is generated from its argument model (field types, the
descriptions, which fields are required), so the schema and the validation of a call's
arguments cannot drift apart. The generated schema is trimmed to what providers need (no
``title``, no ``default``) and says ``additionalProperties: false``; arguments the model adds
anyway are ignored, not refused. ``docs/generation.md`` shows the exact result.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.models.base import ToolSpec


class ToolArguments(BaseModel):
    """Base of the argument models: extra arguments ignored, schema closed."""

    model_config = ConfigDict(
        extra="ignore", json_schema_extra={"additionalProperties": False}
    )


class ListFilesArgs(ToolArguments):
    """List the project's files (relative paths, one per line), recursively. Caches, virtual environments and build output are not listed."""  # noqa: E501 - the model reads it whole

    path: str = Field(
        default=".",
        description="Folder to list, relative to the project root (default: the whole project).",
    )


class ReadFileArgs(ToolArguments):
    """Read one text file of the project and return its content."""

    path: str = Field(description="File path relative to the project root.")


class WriteFileArgs(ToolArguments):
    """Create or replace one file of the project with the given content (the whole file). Parent folders are created."""  # noqa: E501 - the model reads it whole

    path: str = Field(description="File path relative to the project root.")
    content: str = Field(description="The file's entire new content.")


class RunArgs(ToolArguments):
    """Run one command in the project root, in a sandbox without network. Allowed programs: ruff, mypy, pytest, python (e.g. `pytest -q`, `ruff check .`, `ruff format .`, `mypy --strict src`). No shell: no pipes, redirection, `&&` or `cd`. Returns the exit status and the output (truncated when long)."""  # noqa: E501 - the model reads it whole

    command: str = Field(description="The command line, e.g. `pytest -q tests`.")


class FinishArgs(ToolArguments):
    """End the work: call this once the project is complete. Nothing can be changed afterwards."""

    summary: str = Field(default="", description="A short summary of what was built.")


#: Each tool's name and argument model, in the order the model sees them.
ARGUMENTS: dict[str, type[ToolArguments]] = {
    "list_files": ListFilesArgs,
    "read_file": ReadFileArgs,
    "write_file": WriteFileArgs,
    "run": RunArgs,
    "finish": FinishArgs,
}


def _trim(schema: Any) -> Any:  # noqa: ANN401 - JSON
    if isinstance(schema, dict):
        return {k: _trim(v) for k, v in schema.items() if k not in ("title", "default")}
    if isinstance(schema, list):
        return [_trim(v) for v in schema]
    return schema


def input_schema(model: type[ToolArguments]) -> dict[str, Any]:
    """The JSON Schema of a tool's input, generated from its argument model."""
    schema: dict[str, Any] = _trim(model.model_json_schema())
    schema.pop("description", None)
    return schema


def tool_spec(name: str, model: type[ToolArguments]) -> ToolSpec:
    """The tool as the model sees it: name, the model's docstring, the generated schema."""
    return ToolSpec(
        name=name,
        description=" ".join((model.__doc__ or "").split()),
        input_schema=input_schema(model),
    )


def parse_arguments[A: ToolArguments](model: type[A], arguments: dict[str, Any]) -> A:
    """Validate a call's arguments.

    Raises:
        ValueError: Naming the first argument that is missing or not of its type.
    """
    try:
        return model.model_validate(arguments)
    except ValidationError as error:
        field = str(error.errors()[0]["loc"][0]) if error.errors()[0]["loc"] else "?"
        msg = f"argument {field!r} is required and must be a string"
        raise ValueError(msg) from None


TOOLS: list[ToolSpec] = [tool_spec(name, model) for name, model in ARGUMENTS.items()]

__all__ = [
    "ARGUMENTS",
    "TOOLS",
    "FinishArgs",
    "ListFilesArgs",
    "ReadFileArgs",
    "RunArgs",
    "ToolArguments",
    "WriteFileArgs",
    "input_schema",
    "parse_arguments",
    "tool_spec",
]
