"""Official documents as PDF, laid out by Nghị định 30/2020/NĐ-CP (nd30-format.md).

``render_pdf(doc)`` turns a ``model.Document`` into PDF bytes. Modules by responsibility:
``fonts`` (the embedded Liberation Serif family), ``styles`` (page geometry, sizes, markup),
``flowables`` (rules, keep-with-next chains, appendix page numbering), ``front`` (header,
title, signature), ``blocks`` (body paragraphs, headings), ``tables`` (grids whose rows may
be taller than a page), ``document`` (pages, page numbers, metadata).
"""

from parapp.printing.pdf.document import render_pdf

__all__ = ["render_pdf"]
