"""Transcripts: typed events (:mod:`.events`) written as JSONL (:mod:`.writer`)."""

from harness.transcript.events import (
    AgentEvent,
    EndEvent,
    FilesEvent,
    ProblemEvent,
    ReplyEvent,
    StartEvent,
    ToolEvent,
    TranscriptEvent,
    TriggerEvent,
    UserEvent,
    parse_event,
)
from harness.transcript.writer import Transcript, TranscriptReadError, read_transcript

__all__ = [
    "AgentEvent",
    "EndEvent",
    "FilesEvent",
    "ProblemEvent",
    "ReplyEvent",
    "StartEvent",
    "ToolEvent",
    "Transcript",
    "TranscriptEvent",
    "TranscriptReadError",
    "TriggerEvent",
    "UserEvent",
    "parse_event",
    "read_transcript",
]
