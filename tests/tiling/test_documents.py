"""Opening documents: every unreadable file becomes one clear InputError; readable ones are fingerprinted."""

import hashlib

import pymupdf
import pytest

from figtab.schemas import InputError
from figtab.tiling import open_document

EXPECTED = {
    "corrupt": "corrupt PDF",
    "encrypted": "encrypted PDF",
    "empty": "empty file",
    "text": "not a PDF",
    "missing": "no such file",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_bad_inputs_raise_one_clear_input_error(bad_inputs, kind):
    with pytest.raises(InputError, match=EXPECTED[kind]):
        with open_document(str(bad_inputs[kind])):
            pass


def test_doc_id_is_the_sha256_of_the_bytes(sample_pdf):
    with open_document(str(sample_pdf)) as opened:
        assert opened.document.doc_id == hashlib.sha256(sample_pdf.read_bytes()).hexdigest()
        assert opened.document.n_pages == 3
        assert opened.page_numbers([3, 1, 9, 1]) == [1, 3]


def test_pdf_with_empty_user_password_opens(tmp_path, sample_pdf):
    protected = tmp_path / "owner-only.pdf"
    with pymupdf.open(sample_pdf) as doc:
        doc.save(protected, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="")
    with open_document(str(protected)) as opened:
        assert opened.load(1).meta.has_text


def test_image_files_open_as_one_page_without_text(tmp_path, sample_pdf):
    with pymupdf.open(sample_pdf) as doc:
        png = tmp_path / "page.png"
        doc[0].get_pixmap(dpi=50).save(png)
    with open_document(str(png)) as opened:
        page = opened.load(1)
        assert opened.document.format == "png" and not page.meta.has_text
        image = page.render(dpi=72)
        assert len(image.samples) == image.size.width * image.size.height * 3


def test_rotated_page_renders_in_display_orientation(tmp_path, sample_pdf):
    rotated = tmp_path / "rotated.pdf"
    with pymupdf.open(sample_pdf) as doc:
        doc[0].set_rotation(90)
        doc.save(rotated)
    with open_document(str(rotated)) as opened:
        page = opened.load(1)
        image = page.render(dpi=36)
        assert page.meta.size.width > page.meta.size.height
        assert image.size.width > image.size.height
