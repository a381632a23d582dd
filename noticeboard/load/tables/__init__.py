"""Reading the clerk's tables: the raw grid, the header, then the rows, notes and signatures."""

from .grid import SPREADSHEET_SUFFIXES, TABLE_SUFFIXES, column_letter, decode_csv
from .header import ColumnSpec
from .reader import parse_amount, read_table

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "TABLE_SUFFIXES",
    "ColumnSpec",
    "column_letter",
    "decode_csv",
    "parse_amount",
    "read_table",
]
