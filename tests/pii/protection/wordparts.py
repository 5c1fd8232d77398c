"""A Word document with personal information in every story Word keeps text in.

python-docx writes the body, headers, footers and comments itself; footnotes,
endnotes and text boxes it cannot author, so their XML is written with its
``opc`` package and lxml into a real package, and the result is reopened with
python-docx by the tests. Every value is synthetic.
"""

from __future__ import annotations

import io

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from tests.pii.protection.protecthelp import CARD, SSN, SSN2

NOTE_SSN = "456-78-9123"
BOX_SSN = "567-89-1234"
HEADER_BOX_SSN = "678-91-2345"
COMMENT_SSN = "289-01-4567"
ENDNOTE_SSN = "312-45-6789"
RAW = (SSN, SSN2, NOTE_SSN, BOX_SSN, HEADER_BOX_SSN, COMMENT_SSN, ENDNOTE_SSN)
_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
_WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
_VML = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def _notes(kind: str, text_parts: tuple[str, str]) -> str:
    """Return footnotes.xml or endnotes.xml: two separators and note 1.

    The note's value is split over a plain and a bold run.
    """
    plain, bold = text_parts
    return (
        f"<w:{kind}s {nsdecls('w')}>"
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
        f"</w:p></w:{kind}>"
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
        f'<w:{kind} w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
        f"</w:rPr><w:{kind}Ref/></w:r>"
        f'<w:r><w:t xml:space="preserve"> {plain}</w:t></w:r>'
        f"<w:r><w:rPr><w:b/></w:rPr><w:t>{bold}</w:t></w:r></w:p></w:{kind}>"
        f"</w:{kind}s>"
    )


def _text_box(text: str, fallback: str | None) -> str:
    """Return a run holding a text box: a drawing, and a VML fallback copy."""
    content = (
        "<w:txbxContent><w:p><w:r><w:rPr><w:i/></w:rPr>"
        f'<w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:txbxContent>'
    )
    if fallback is None:  # an old-style VML text box only
        return (
            f"<w:r {nsdecls('w')} {_VML}><w:pict><v:shape><v:textbox>{content}"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    copy = content.replace(text, fallback)
    return (
        f"<w:r {nsdecls('w', 'wp', 'a')} {_MC} {_WPS} {_VML}><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:inline>'
        '<wp:extent cx="1828800" cy="457200"/><wp:docPr id="7" name="Text Box 7"/>'
        "<a:graphic><a:graphicData "
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{copy}</v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _add_part(document: docx.document.Document, kind: str, xml: str) -> None:
    content_type = {
        "footnote": CONTENT_TYPE.WML_FOOTNOTES,
        "endnote": CONTENT_TYPE.WML_ENDNOTES,
    }[kind]
    reltype = {
        "footnote": RELATIONSHIP_TYPE.FOOTNOTES,
        "endnote": RELATIONSHIP_TYPE.ENDNOTES,
    }[kind]
    package = document.part.package
    part = XmlPart(PackURI(f"/word/{kind}s.xml"), content_type, parse_xml(xml), package)
    document.part.relate_to(part, reltype)
    # The body refers to note 1, as Word writes it.
    reference = parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{kind}Reference w:id="1"/></w:r>'
    )
    document.paragraphs[0]._p.append(reference)


def word_with_every_story(*, fallback_differs: bool = False) -> bytes:
    """Return a .docx with a value in each kind of story.

    Body: a paragraph and a text box (drawing plus fallback copy); section 1
    header: a VML text box; footer: a paragraph; a comment; footnote 1 and
    endnote 1 (each value split over a plain and a bold run).
    """
    document = docx.Document()
    first = document.add_paragraph("Staff records for Maria Lopez, SSN ")
    first.add_run(SSN).bold = True
    holder = document.add_paragraph("See the box: ")
    box_text = f"Card holder John Smith, SSN {BOX_SSN}, card {CARD}"
    other = "Card holder John Smith, ask HR" if fallback_differs else box_text
    holder._p.append(parse_xml(_text_box(box_text, other)))
    reviewed = document.add_paragraph("Reviewed by ")
    run = reviewed.add_run("Ann Lee")
    document.add_comment(run, text=f"Ann Lee SSN {COMMENT_SSN}", author="HR")
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = "Personnel file "
    header._p.append(parse_xml(_text_box(f"Ann Lee SSN {HEADER_BOX_SSN}", None)))
    section.footer.paragraphs[0].text = f"Filed for John Smith SSN {SSN2}"
    note = NOTE_SSN.rsplit("-", 1)
    _add_part(
        document, "footnote", _notes("footnote", (f"Ann Lee, SSN {note[0]}-", note[1]))
    )
    end = ENDNOTE_SSN.rsplit("-", 1)
    _add_part(
        document, "endnote", _notes("endnote", (f"Maria Lopez, SSN {end[0]}-", end[1]))
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
