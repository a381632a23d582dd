"""Drawing laid-out sheets: PDF (reportlab) and PNG previews (pypdfium2)."""
