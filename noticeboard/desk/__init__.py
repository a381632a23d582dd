"""The workbench's library (``noticeboard/desk/``): everything the web pages show or do, as plain
values. No Django here and no HTML: the web layer (noticeboard/web/) only calls these, checks who
is signed in, and renders templates. No layout or check logic lives in the web layer (issue 21).

THIS MODULE'S NAMES ARE THE AGREED INTERFACE between the library and the web layer (which calls
``from noticeboard import desk; desk.overview(...)``): names, fields and signatures are fixed; one
may ADD fields/functions, never rename. The workings live in modules by concern: common (paths,
locks, stats, today), accounts (roles, database), overview (the list), state (one notice and its
sign-off chain), previews, forms (the form and writing notice YAML), tables (uploads, the table
view, set_cell), signing, builds (the final build and its downloads).
Every function takes the workspace root; every user-facing string is Simplified Chinese; every
problem is a noticeboard.problems.Problem (located, masked). Nothing here prints or raises for bad
input: bad input is returned as problems. ``UnreadableInput`` may still be raised where the
workspace itself cannot be read (the web shows its message).

Where the workbench keeps things in the workspace:
  signoffs/<id>.yaml        the sign-off records made in the workbench (written only by sign());
                            the load stage reads them, so `noticeboard build` counts them (SPEC §4)
  .workbench/               the web app's own: workbench.sqlite3 (accounts, sessions, audit log; the
                            SQLite default), secret_key, previews/ (the preview cache)
"""

from __future__ import annotations

from .accounts import database_url, roles
from .builds import DOWNLOADS, Download, downloads, final_build
from .common import (
    ADMIN,
    AGREE,
    MAX_UPLOAD_BYTES,
    NOT_PUBLISHED,
    OFFICER,
    RACY_NS,
    RETURN,
    SIGNOFFS_DIR,
    TABLE_SUFFIXES,
    WORKBENCH_DIR,
    Written,
)
from .forms import (
    CHOICE_LABELS,
    NOT_IN_FORM,
    FieldSpec,
    file_version,
    form_fields,
    kinds,
    notice_values,
    set_keys,
    template,
    write_notice,
    yaml_scalar,
)
from .listing import NoticeRow, Overview, overview
from .sheets import CACHE_VERSION, PREVIEW_LETTERS, PREVIEWS_DIR, Previews, previews
from .signing import sign
from .state import MAX_CACHED_STATES, NoticeState, Signoff, SignoffRecord, field_of, notice_state
from .tables import MAX_GRID_ROWS, Grid, Mark, save_table, set_cell, table_grids

__all__ = [
    "ADMIN",
    "AGREE",
    "CACHE_VERSION",
    "CHOICE_LABELS",
    "DOWNLOADS",
    "MAX_CACHED_STATES",
    "MAX_GRID_ROWS",
    "MAX_UPLOAD_BYTES",
    "NOT_IN_FORM",
    "NOT_PUBLISHED",
    "OFFICER",
    "PREVIEWS_DIR",
    "PREVIEW_LETTERS",
    "RACY_NS",
    "RETURN",
    "SIGNOFFS_DIR",
    "TABLE_SUFFIXES",
    "WORKBENCH_DIR",
    "Download",
    "FieldSpec",
    "Grid",
    "Mark",
    "NoticeRow",
    "NoticeState",
    "Overview",
    "Previews",
    "Signoff",
    "SignoffRecord",
    "Written",
    "database_url",
    "downloads",
    "field_of",
    "file_version",
    "final_build",
    "form_fields",
    "kinds",
    "notice_state",
    "notice_values",
    "overview",
    "previews",
    "roles",
    "save_table",
    "set_cell",
    "set_keys",
    "sign",
    "table_grids",
    "template",
    "write_notice",
    "yaml_scalar",
]
