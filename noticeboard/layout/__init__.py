"""The shared layout toolkit: paper, fonts, text, blocks, fitting and QR.

Layout produces plain data (``Sheet`` objects holding positioned items); drawing
them is the render stage's job.
"""
