"""What every state machine in the domain raises when a move is not allowed. Pure."""

from __future__ import annotations


class TransitionRefused(Exception):
    """The action is not allowed for this actor in this state."""
