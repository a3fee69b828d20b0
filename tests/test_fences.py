"""The one code-fence module: the reader of skills, the reader of replies, the prompt writer."""

import pytest

from harness.fences import closes, fence_for, open_fence
from harness.prompts import render_task
from harness.skills.codeblocks import extract_blocks
from harness.solvers.oneshot.parser import parse_reply


@pytest.mark.parametrize(
    ("line", "max_indent", "opens"),
    [
        ("```python", None, True),
        ("~~~", None, True),
        ("      ```python", None, True),  # inside a list item
        ("    ```python", 3, False),  # indented code in plain CommonMark
        ("   ```python", 3, True),
        ("```x```", None, False),  # inline code, not a fence
        ("~~~ `ok` for tildes", None, True),
        ("``", None, False),
    ],
)
def test_open_fence(line: str, max_indent: int | None, opens: bool) -> None:
    assert (open_fence(line, max_indent=max_indent) is not None) == opens


def test_closes_needs_the_same_character_and_at_least_the_length() -> None:
    assert closes("````", "```")
    assert closes("  ```  ", "```")
    assert not closes("```", "````")
    assert not closes("~~~", "```")
    assert not closes("```python", "```")


def test_fence_for_is_longer_than_any_backtick_run() -> None:
    assert fence_for("x = 1\n", "`inline`") == "```"
    assert fence_for("```python\nx\n```\n") == "````"
    assert fence_for("a", "`````") == "``````"


def test_readers_and_writer_agree_on_a_file_holding_fences() -> None:
    # A README whose example uses a four-backtick fence: the prompt must fence it with
    # five, and both readers must get the README back whole.
    readme = "# Demo\n\n````python\nprint(1)\n````\n"
    message = render_task(
        "Add a route.", contract=None, starter_files={"README.md": readme}
    )

    blocks = extract_blocks(message, "prompt.md")
    starter = message[message.index("### README.md") :]

    assert "`````" in message
    assert [block.code for block in blocks] == [readme]
    assert parse_reply(starter).files == {"README.md": readme}
