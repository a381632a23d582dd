"""The workbench (SPEC §4 `serve`): the workspace in a browser. Django is imported only from here
down, and only when `serve` or `user` runs, so `noticeboard build` never loads it."""
