"""Every notice kind, by name: the one place a new kind is added.

Apart from the protocol in ``kinds/__init__.py``, so that the kind modules (which import the
protocol) and the list of them (which imports the kinds) never import each other.
"""

from __future__ import annotations

from . import KindSpec, contacts, finance, guide, ledger, letter, notice, roster, tasks


def registry() -> dict[str, KindSpec]:
    return {
        kind.name: kind
        for kind in (
            finance.KIND,
            contacts.KIND,
            tasks.KIND,
            roster.KIND,
            notice.KIND,
            ledger.KIND,
            letter.KIND,
            guide.KIND,
        )
    }
