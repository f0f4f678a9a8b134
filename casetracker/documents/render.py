"""Filling templates with docxtpl, and putting several filled documents into one file.

A template that uses a field the context does not have is an error here, never a blank in a
court paper: rendering runs with an Undefined that records every unknown name and the render is
refused with them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from casetracker.documents.fields import paths_by_identity
from casetracker.domain.errors import InvalidValueError

if TYPE_CHECKING:
    import jinja2
    from docx.document import Document as DocxDocument
    from docxtpl import DocxTemplate

# docxtpl, python-docx and jinja2 are loaded when a document is made, not when the window
# opens: together they are about a tenth of the desk's start-up.


class TemplateProblem(InvalidValueError):
    """A template that cannot be used: not a .docx, a syntax mistake, or unknown fields."""

    def __init__(self, message: str, unknown: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.unknown = list(unknown)


def _recording_environment(context: dict[str, Any]) -> tuple[jinja2.Environment, list[str]]:
    import jinja2

    unknown: list[str] = []
    paths = paths_by_identity(context)

    class Recording(jinja2.ChainableUndefined):
        _path: str

        def __init__(
            self,
            hint: str | None = None,
            obj: Any = jinja2.utils.missing,
            name: str | None = None,
            exc: type[jinja2.exceptions.TemplateRuntimeError] = jinja2.exceptions.UndefinedError,
        ) -> None:
            super().__init__(hint, obj, name, exc)
            if name is not None:
                if obj is jinja2.utils.missing:
                    path = name
                elif isinstance(obj, Recording):
                    path = f"{obj._path}.{name}"
                else:
                    parent = paths.get(id(obj))
                    path = f"{parent}.{name}" if parent else f"….{name}"
                self._path = path
                if not isinstance(obj, Recording) and path not in unknown:
                    unknown.append(path)
            else:
                self._path = "?"

    # Autoescape: docxtpl writes the values into XML; a name with "&" or "<" must stay text.
    return jinja2.Environment(undefined=Recording, autoescape=True), unknown


def open_template(content: bytes, label: str) -> DocxTemplate:
    from docxtpl import DocxTemplate

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TemplateProblem(f"{label} is not a Word .docx file.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            archive.getinfo("word/document.xml")
        return DocxTemplate(io.BytesIO(content))
    except (KeyError, zipfile.BadZipFile, ValueError) as error:
        raise TemplateProblem(f"{label} is not a Word .docx file ({error}).") from None


def render(content: bytes, context: dict[str, Any], label: str) -> DocxDocument:
    """The filled document; TemplateProblem naming every unknown field if there is one."""
    import jinja2

    template = open_template(content, label)
    environment, unknown = _recording_environment(context)
    try:
        template.render(context, jinja_env=environment)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(
            f"{label} has a mistake in its fields: {error.message}"
            + (f" (near line {error.lineno} of the document's text)" if error.lineno else "")
        ) from None
    except jinja2.TemplateError as error:
        raise TemplateProblem(f"{label} cannot be filled in: {error}") from None
    if unknown:
        raise TemplateProblem(
            f"{label} uses {_plural(len(unknown), 'field')} this program does not know: "
            + ", ".join(unknown),
            unknown,
        )
    document: DocxDocument = template.docx
    return document


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def combine(documents: Sequence[DocxDocument]) -> DocxDocument:
    """One file of several documents, each starting on a new page."""
    from docxcompose.composer import Composer  # only needed for papers of several documents

    master = documents[0]
    if len(documents) == 1:
        return master
    composer = Composer(master)
    for document in documents[1:]:
        _start_on_new_page(document)
        composer.append(document)
    return master


def _start_on_new_page(document: DocxDocument) -> None:
    """Page break before the document's first paragraph (a break paragraph of its own would
    make a blank page whenever the document before it ends at the foot of a page)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    first = body[0] if len(body) else None
    if first is not None and first.tag == qn("w:p"):
        Paragraph(first, document._body).paragraph_format.page_break_before = True
        return
    # It opens with a table (a letterhead, a caption): an empty paragraph that breaks first.
    paragraph = OxmlElement("w:p")
    body.insert(0, paragraph)
    Paragraph(paragraph, document._body).paragraph_format.page_break_before = True


def to_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
