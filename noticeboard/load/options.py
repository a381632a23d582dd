"""Declared options: each key a YAML mapping may hold, said once with its type, Chinese label and help.

Modelled on MkDocs's config_options. A :class:`Schema` lists the options of one mapping
(noticeboard.yaml, an event, a notice file, a kind's own keys); the same declaration

- reads and checks a value where it is written (``Where`` file:line), with the messages of
  :class:`~noticeboard.load.yamlsrc.MapReader`, which stay the words users already know;
- reports a key no option declares, with the nearest declared one as a suggestion;
- writes the reference (docs/make_reference.py), so a key cannot be added without it.

A value is read when the loader first asks for it (``values[OPTION]``) and kept: the loader asks in
the order it always has, so every message keeps its place, and a key the loader never reaches (a
notice whose table did not load) is not reported on. Whatever joins two options or a notice and
noticeboard.yaml (a catalogue entry that exists, board and event ids, review roles) is checked by the
loader in a later pass, once every option is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast, overload

from ..problems import Problem, Where
from .yamlsrc import MAX_INTEGER, MapReader, YNode

T = TypeVar("T")


class ValueType(Generic[T]):
    """How one option's value is read: a subclass per YAML shape."""

    default: Any = None

    def read(self, reader: MapReader, option: Option[T], required: bool) -> T:
        raise NotImplementedError


@dataclass(frozen=True)
class TextValue(ValueType[str | None]):
    default: str | None = None

    def read(self, reader: MapReader, option: Option[str | None], required: bool) -> str | None:
        return reader.text(option.name, option.label, required=required, default=self.default)


@dataclass(frozen=True)
class IntegerValue(ValueType[int | None]):
    minimum: int | None = None
    maximum: int | None = MAX_INTEGER
    default: int | None = None

    def read(self, reader: MapReader, option: Option[int | None], required: bool) -> int | None:
        return reader.integer(
            option.name,
            option.label,
            minimum=self.minimum,
            default=self.default,
            required=required,
            maximum=self.maximum,
        )


@dataclass(frozen=True)
class CountValue(ValueType[int]):
    """A whole number that always has one: the default stands for a missing or wrong value."""

    default: int
    minimum: int | None = None

    def read(self, reader: MapReader, option: Option[int], required: bool) -> int:
        value = reader.integer(option.name, option.label, minimum=self.minimum, default=self.default, required=required)
        return self.default if value is None else value


@dataclass(frozen=True)
class NumberValue(ValueType[Decimal | None]):
    def read(self, reader: MapReader, option: Option[Decimal | None], required: bool) -> Decimal | None:
        return reader.number(option.name, option.label, required=required)


@dataclass(frozen=True)
class BooleanValue(ValueType[bool]):
    default: bool = False

    def read(self, reader: MapReader, option: Option[bool], required: bool) -> bool:
        return reader.boolean(option.name, option.label, default=self.default)


@dataclass(frozen=True)
class DateValue(ValueType[dt.date | None]):
    def read(self, reader: MapReader, option: Option[dt.date | None], required: bool) -> dt.date | None:
        return reader.date(option.name, option.label, required=required)


@dataclass(frozen=True)
class ChoiceValue(ValueType[str | None]):
    choices: tuple[str, ...]
    default: str | None = None
    normalise: Callable[[str], str] | None = None

    def read(self, reader: MapReader, option: Option[str | None], required: bool) -> str | None:
        return reader.choice(
            option.name, option.label, self.choices, default=self.default, required=required, normalise=self.normalise
        )


@dataclass(frozen=True)
class TextListValue(ValueType[list[tuple[str, Where]]]):
    """A list of texts, or one text: each with the line it is on."""

    def read(
        self, reader: MapReader, option: Option[list[tuple[str, Where]]], required: bool
    ) -> list[tuple[str, Where]]:
        return reader.text_list(option.name, option.label)


@dataclass(frozen=True)
class ListValue(ValueType[list[YNode]]):
    """A list of mappings, each read with its own schema by the owner."""

    def read(self, reader: MapReader, option: Option[list[YNode]], required: bool) -> list[YNode]:
        return reader.node_list(option.name, option.label)


@dataclass(frozen=True)
class MappingValue(ValueType[YNode | None]):
    def read(self, reader: MapReader, option: Option[YNode | None], required: bool) -> YNode | None:
        return reader.mapping(option.name, option.label)


@dataclass(frozen=True)
class RawValue(ValueType[YNode | None]):
    """A value of more than one shape (body text, a list of columns, ``mask``): its owner reads the node."""

    def read(self, reader: MapReader, option: Option[YNode | None], required: bool) -> YNode | None:
        return reader.raw(option.name)


@dataclass(frozen=True)
class Option(Generic[T]):
    name: str
    label: str  # the Chinese name, in messages and the reference: 「unit」（金额单位）
    type: ValueType[T]
    help: str = ""  # the reference's explanation, where it has one
    required: bool = False

    @property
    def default(self) -> Any:
        return self.type.default


@dataclass(frozen=True)
class Schema:
    """The options of one kind of mapping, in the order messages list them."""

    what: str  # how messages name the mapping: 通知文件, screen, events 中的事件
    options: tuple[Option[Any], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(option.name for option in self.options)

    @property
    def keys(self) -> dict[str, str]:
        """Each key with its Chinese label."""
        return {option.name: option.label for option in self.options}

    def __add__(self, other: Schema) -> Schema:
        return Schema(self.what, self.options + tuple(o for o in other.options if o.name not in self.names))

    def option(self, name: str) -> Option[Any]:
        return next(option for option in self.options if option.name == name)

    def values(
        self, node: YNode, file: str, problems: list[Problem], what: str | None = None, report_unknown: bool = True
    ) -> Values:
        """A reader of ``node`` by this schema; a key no option declares is reported at once."""
        values = Values(node, file, problems, what or self.what, self)
        if report_unknown:
            values.report_unknown()
        return values


class Values(MapReader):
    """A mapping read by its schema: ``values[OPTION]`` is the checked value, read once."""

    def __init__(self, node: YNode, file: str, problems: list[Problem], what: str, schema: Schema):
        super().__init__(node, file, problems, what, schema.names)
        self.schema = schema
        self._read: dict[str, object] = {}

    @overload
    def __getitem__(self, option: Option[T]) -> T: ...

    @overload
    def __getitem__(self, option: str) -> Any: ...

    def __getitem__(self, option: Option[Any] | str) -> Any:
        """The value of an option, or of the option of that name in the schema."""
        if isinstance(option, str):
            option = self.schema.option(option)
        return self.get(option, required=option.required)

    def get(self, option: Option[T], *, required: bool) -> T:
        """The value, where whether it is required depends on the rest of the mapping (事项 stands for title)."""
        if option.name not in self._read:
            self._read[option.name] = option.type.read(self, option, required)
        return cast(T, self._read[option.name])


def text(
    name: str, label: str, help: str = "", *, required: bool = False, default: str | None = None
) -> Option[str | None]:
    return Option(name, label, TextValue(default), help, required)


def integer(
    name: str,
    label: str,
    help: str = "",
    *,
    minimum: int | None = None,
    maximum: int | None = MAX_INTEGER,
    required: bool = False,
) -> Option[int | None]:
    return Option(name, label, IntegerValue(minimum, maximum), help, required)


def count(name: str, label: str, default: int, *, minimum: int | None = None) -> Option[int]:
    return Option(name, label, CountValue(default, minimum))


def number(name: str, label: str, help: str = "", *, required: bool = False) -> Option[Decimal | None]:
    return Option(name, label, NumberValue(), help, required)


def boolean(name: str, label: str, help: str = "", *, default: bool = False) -> Option[bool]:
    return Option(name, label, BooleanValue(default), help)


def date(name: str, label: str, help: str = "", *, required: bool = False) -> Option[dt.date | None]:
    return Option(name, label, DateValue(), help, required)


def choice(
    name: str,
    label: str,
    choices: Iterable[str],
    help: str = "",
    *,
    default: str | None = None,
    required: bool = False,
    normalise: Callable[[str], str] | None = None,
) -> Option[str | None]:
    return Option(name, label, ChoiceValue(tuple(choices), default, normalise), help, required)


def text_list(name: str, label: str, help: str = "") -> Option[list[tuple[str, Where]]]:
    return Option(name, label, TextListValue(), help)


def items(name: str, label: str, help: str = "") -> Option[list[YNode]]:
    return Option(name, label, ListValue(), help)


def mapping(name: str, label: str, help: str = "") -> Option[YNode | None]:
    return Option(name, label, MappingValue(), help)


def raw(name: str, label: str, help: str = "") -> Option[YNode | None]:
    return Option(name, label, RawValue(), help)
