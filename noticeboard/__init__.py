"""noticeboard: print-ready public-notice posters for townships and villages.

The Python API does everything the command line does (``noticeboard init`` is
``init_workspace``, ``plan`` is ``make_plan``, ``tile`` is ``tile_file``, ``register --format``
is ``export_register``)::

    from pathlib import Path
    import noticeboard

    noticeboard.init_workspace(Path("两城镇"))
    result = noticeboard.check(Path("两城镇"))
    result = noticeboard.build(Path("两城镇"), draft=True)
    for problem in result.problems:
        print(problem)
    outcome = noticeboard.make_plan(Path("两城镇"))  # outcome.plan.rows, outcome.boards, outcome.written

Every function takes a path as ``str`` or ``Path``. Problems in the user's files come back
in ``Result.problems`` (``Started.problems``, ``Outcome.problems``, ``Tiled.problems``); a
workspace or file that cannot be read at all raises ``UnreadableInput``, whose ``problem``
says why in the same words as the command line.
"""

from .commands import Tiled, export_register, make_plan, tile_file
from .load.workspace import Loaded, load_workspace
from .pipeline import Result, build, check, lay_out, publications, render, render_file, year_figures
from .problems import Problem, UnreadableInput, Where
from .schedule.plan import Outcome
from .starter import Started, init_workspace, new_notice

__all__ = [
    "Loaded",
    "Outcome",
    "Problem",
    "Result",
    "Started",
    "Tiled",
    "UnreadableInput",
    "Where",
    "build",
    "check",
    "export_register",
    "init_workspace",
    "lay_out",
    "load_workspace",
    "make_plan",
    "new_notice",
    "publications",
    "render",
    "render_file",
    "tile_file",
    "year_figures",
]
