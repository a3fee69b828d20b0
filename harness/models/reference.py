"""``reference``: an offline model whose answer is the task's gold project.

It costs nothing and calls nothing, so a whole pipeline (prompts, parsing, the agent
loop, scoring, reports) can be exercised without a key; its score is the ceiling a
task allows. Option ``reference_dir``: the task's ``reference/`` folder.

- :meth:`ReferenceModel.files` returns the project's text files (relative POSIX path
  to content), with the scorer's own ignore rules (caches, virtualenvs...).
- Without tools (one-shot mode), :meth:`~ReferenceModel.complete` replies with every
  file in the canonical one-shot format (``harness.prompts.format_reply``).
- With tools that include ``write_file`` (agent mode), the first reply calls
  ``write_file`` once per file (arguments ``path`` and ``content``); the next calls
  ``finish`` when offered, else ends with a short text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import UsageError
from harness.models.base import ModelReply, ToolCall

if TYPE_CHECKING:
    from harness.models.base import GenerationParams, Message, ToolSpec

NAME = "reference"


class ReferenceModel:
    """The gold project of one task, served as a model's reply.

    Args:
        reference_dir: the task's reference project folder.
    """

    def __init__(self, reference_dir: Path | str) -> None:
        self.reference_dir = Path(reference_dir)
        if not self.reference_dir.is_dir():
            msg = (
                f"reference project {self.reference_dir} is not a folder: "
                "give the task's reference/ directory"
            )
            raise UsageError(msg)
        self.name = NAME
        self._files: dict[str, str] | None = None

    def files(self) -> dict[str, str]:
        """The reference project's text files, relative path to content, sorted."""
        if self._files is None:
            from harness.project import load_project, read_bytes_safely

            project = load_project(self.reference_dir)
            files: dict[str, str] = {}
            for rel in sorted(project.files):
                data = read_bytes_safely(self.reference_dir, rel, limit=50 * 2**20)
                if data is None or b"\0" in data[:8192]:
                    continue
                try:
                    files[rel] = data.decode("utf-8")
                except UnicodeDecodeError:
                    continue
            self._files = files
        return dict(self._files)

    async def complete(
        self,
        system: str,  # noqa: ARG002 - the protocol's signature
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,  # noqa: ARG002
    ) -> ModelReply:
        """The gold project as a one-shot reply, or as ``write_file`` calls."""
        names = {tool.name for tool in tools}
        if "write_file" not in names:
            from harness.prompts import format_reply

            return self._reply(text=format_reply(self.files()))
        wrote = any(m.role == "assistant" and m.tool_calls for m in messages)
        if not wrote:
            calls = [
                ToolCall(
                    id=f"reference_{index}",
                    name="write_file",
                    arguments={"path": rel, "content": content},
                )
                for index, (rel, content) in enumerate(self.files().items(), 1)
            ]
            return self._reply(text="Writing the reference project.", calls=calls)
        if "finish" in names:
            finish = ToolCall(
                id="reference_finish",
                name="finish",
                arguments={"summary": "The task's reference project."},
            )
            return self._reply(calls=[finish])
        return self._reply(text="The reference project is written.")

    def _reply(
        self, *, text: str = "", calls: list[ToolCall] | None = None
    ) -> ModelReply:
        return ModelReply(
            text=text,
            tool_calls=calls or [],
            stop_reason="tool_use" if calls else "end",
            raw_stop_reason=self.stop_label,
            cost_usd=0.0,
            raw_model=NAME,
        )

    @property
    def priced(self) -> bool:
        """Offline: every reply costs nothing, a known price."""
        return True

    @property
    def stop_label(self) -> str:
        """What the replies record as their raw stop reason."""
        return NAME

    async def aclose(self) -> None:
        """Nothing to release."""


def create(name: str, *, reference_dir: Path | str) -> ReferenceModel:
    """Build ``reference`` (``name`` is empty: the spec has no model part)."""
    del name
    return ReferenceModel(reference_dir)
