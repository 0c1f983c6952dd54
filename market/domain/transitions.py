"""What every state machine in the domain raises when a move is not allowed, and the table that machines
moved by named actors share. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Generic, TypeVar

State = TypeVar("State", bound=StrEnum)
Action = TypeVar("Action", bound=StrEnum)
Actor = TypeVar("Actor", bound=StrEnum)


class TransitionRefused(Exception):
    """The action is not allowed for this actor in this state."""


class ActorTable(Generic[State, Action, Actor]):
    """A machine given as a table: action -> (the one actor who may take it, the states it may be taken from,
    the state it leads to, or None when the state stays)."""

    def __init__(self, noun: str, states: type[State],
                 moves: Mapping[Action, tuple[Actor, tuple[State, ...], State | None]]) -> None:
        self.noun, self.states, self.moves = noun, states, moves

    def next(self, state: str, action: Action, actor: Actor) -> State:
        """The state after `action` by `actor`, or TransitionRefused with the reason."""
        who, sources, target = self.moves[action]
        if actor is not who:
            raise TransitionRefused(f"only the {who.value} may {action.value} {self.noun}")
        if state not in sources:
            raise TransitionRefused(f"{action.value} is not possible for {self.noun} that is {state}")
        return self.states(state) if target is None else target

    def allowed(self, state: str, actor: Actor) -> list[Action]:
        """The actions `actor` may take now, in the table's order (for buttons)."""
        return [a for a, (who, sources, _target) in self.moves.items() if who is actor and state in sources]
