from pathlib import Path

import pytest

from kb.documents import DocumentError, document_id, find_documents, load_document

MARKDOWN = """# 해외 로밍 안내

한결모바일 해외 로밍 서비스를 소개합니다.

## 요금제
### 데이터 로밍
하루 **11,000원**에 [데이터 무제한](https://example.invalid)을 씁니다.

```
# 이 줄은 코드라서 제목이 아닙니다
```

## 신청 방법
출국 전에 앱에서 신청하세요.
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_markdown_sections_keep_their_heading_path(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "roaming guide.md", MARKDOWN))
    assert doc.doc_id == "roaming-guide" and doc.title == "해외 로밍 안내"
    paths = [s.heading_path for s in doc.sections]
    assert paths == [(), ("요금제", "데이터 로밍"), ("신청 방법",)]
    assert "하루 11,000원에 데이터 무제한을 씁니다." in doc.sections[1].text  # links and emphasis stripped
    assert "# 이 줄은 코드라서" in doc.sections[1].text  # code is not a heading
    assert len(doc.content_hash) == 64


def test_html_headings_and_text(tmp_path: Path) -> None:
    html = """<html><head><title>분실 신고</title><style>p{color:red}</style></head><body>
    <h1>휴대폰 분실</h1><p>분실하면 바로 신고하세요.</p>
    <h2>일시 정지</h2><ul><li>앱에서 신청</li><li>고객센터 114</li></ul><script>var x = 1;</script>
    </body></html>"""
    doc = load_document(write(tmp_path, "lost.html", html))
    assert doc.title == "분실 신고"
    assert [(s.heading_path, s.text) for s in doc.sections] == [
        ((), "분실하면 바로 신고하세요."),
        (("일시 정지",), "앱에서 신청\n고객센터 114"),
    ]


def test_plain_text_in_cp949(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "납부.txt", "요금 납부일은 매월 25일입니다.".encode("cp949")))
    assert doc.sections[0].text == "요금 납부일은 매월 25일입니다." and doc.title == "납부"


def _minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_pdf_pages_become_sections(tmp_path: Path) -> None:
    doc = load_document(
        write(tmp_path, "refund-policy.pdf", _minimal_pdf("Refunds are paid within 3 business days."))
    )
    assert doc.doc_id == "refund-policy"
    assert doc.sections[0].heading_path == ("p.1",) and "Refunds are paid" in doc.sections[0].text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.md", b"  \n\n", "empty file"),
        ("junk.txt", bytes(range(256)) * 4, "binary content"),
        ("latin.txt", b"\xff\xfe\xfd\xfc" * 50, "not text in a known encoding"),
        ("fake.pdf", b"this is not a pdf at all", "not a readable PDF"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type .pptx"),
        ("headings-only.md", "# 제목\n## 소제목\n", "no text content"),
    ],
)
def test_bad_files_are_named_with_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(DocumentError) as error:
        load_document(path)
    assert error.value.path == path and reason in error.value.reason and name in str(error.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="unreadable"):
        load_document(tmp_path / "missing.md")


def test_find_documents_walks_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.md", "sub/b.html", "sub/c.PDF", "notes.docx"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in find_documents([tmp_path])] == ["a.md", "b.html", "c.PDF"]
    assert document_id(Path("요금 안내: 2026.md")) == "요금-안내-2026"


def test_markdown_front_matter(tmp_path: Path) -> None:
    text = (
        "---\ntitle: 로밍 요금 안내\ncategory: billing\ntags: [로밍, 해외]\n---\n# 해외 로밍\n\n본문입니다.\n"
    )
    doc = load_document(write(tmp_path, "roaming.md", text))
    assert (doc.title, doc.category, doc.tags) == ("로밍 요금 안내", "billing", ("로밍", "해외"))
    assert doc.sections[0].text == "본문입니다."  # the block is not text
    comma = load_document(write(tmp_path, "b.md", "---\ntags: 요금, 납부\n---\n본문\n"))
    assert comma.tags == ("요금", "납부") and comma.category == ""


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("tags: [unclosed\n", "not valid YAML"),
        ("- a\n- b\n", "must be a mapping"),
        ("tags: 3\n", "tags must be"),
    ],
)
def test_bad_front_matter(tmp_path: Path, front: str, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason):
        load_document(write(tmp_path, "x.md", f"---\n{front}---\n본문\n"))
