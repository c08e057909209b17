"""Validation errors name the file, line and column; any error rejects the whole file."""

from nlp.glossary.validate import Severity, validate_glossary_bytes, validate_glossary_file
from tests.glossary.conftest import HEADER


def codes(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.code for i in report.errors]


def test_valid_file_with_bom_comments_and_blank_lines(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("\ufeff" + HEADER + "# a comment line\nelectronics,芯片,chip,チップ,,\n\n"
                     "electronics,USB,USB,USB,interface,yes\n")
    report = validate_glossary_file(path)
    assert report.ok and report.glossary is not None
    assert [c.line for c in report.glossary.concepts] == [3, 5]
    assert report.glossary.concepts[1].do_not_translate
    assert report.glossary.languages == ["zh", "en", "ja"]


def test_duplicate_source_term_names_both_lines_and_the_column(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + "electronics,芯片,chip,チップ,,\nelectronics,晶片,Chip,ウエハ,,\n")
    report = validate_glossary_file(path)
    assert report.glossary is None
    [issue] = report.errors
    assert (issue.code, issue.line, issue.column, issue.column_name) == ("duplicate-term", 3, 3, "en")
    assert "line 2" in issue.message
    assert str(issue).startswith(f"{path}:3:3: error: duplicate-term [en]:")


def test_same_term_in_different_domains_is_allowed(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + "electronics,传感器,sensor,センサー,,\nmachinery,传感器,sensor,センサー,,\n")
    assert validate_glossary_file(path).ok


def test_duplicates_ignore_case_width_and_spacing(write_csv) -> None:  # type: ignore[no-untyped-def]
    rows = "general,订单号,order number,注文番号,,\ngeneral,订单编号,Order  Number,ＡＢＣ,,\n"
    path = write_csv(HEADER + rows)
    assert codes(validate_glossary_file(path)) == ["duplicate-term"]


def test_empty_concept_row(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + "electronics,芯片,chip,チップ,,\nelectronics,,,,only a note,\n")
    report = validate_glossary_file(path)
    assert codes(report) == ["empty-concept"]
    assert report.errors[0].line == 3


def test_unknown_language_column_is_located(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("domain,zh,english,ja,comment\nelectronics,芯片,chip,チップ,x\n")
    report = validate_glossary_file(path)
    assert [(i.code, i.line, i.column, i.column_name) for i in report.errors] == [
        ("unknown-language", 1, 3, "english"), ("unknown-language", 1, 5, "comment")]


def test_language_subtags_and_upper_case_headers_are_accepted(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("Domain,ZH,pt-BR,zh-Hant\ngeneral,订单号,número do pedido,訂單號\n")
    report = validate_glossary_file(path)
    assert report.ok and report.glossary is not None
    assert report.glossary.languages == ["zh", "pt-br", "zh-hant"]


def test_gbk_file_is_rejected_with_position_and_hint(write_csv) -> None:  # type: ignore[no-untyped-def]
    raw = (HEADER + "electronics,芯片,chip,チップ,,\n").encode("gb18030")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # the first byte that is not UTF-8, as a 1-based column on line 2
        first_bad_column = exc.start - len(HEADER.encode()) + 1
    [issue] = validate_glossary_file(write_csv(raw)).errors
    assert (issue.code, issue.line, issue.column) == ("encoding", 2, first_bad_column)
    assert "GB18030" in issue.message


def test_utf16_file_is_rejected(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv((HEADER + "general,订单号,order number,注文番号,,\n").encode("utf-16"))
    assert codes(validate_glossary_file(path)) == ["encoding"]


def test_replacement_character_from_an_earlier_bad_conversion(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + "general,订\ufffd号,order number,注文番号,,\n")
    [issue] = validate_glossary_file(path).errors
    assert (issue.code, issue.line, issue.column_name) == ("encoding", 2, "zh")


def test_unquoted_comma_gives_extra_cells(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + "general,订单号,order number, PO,注文番号,,\n")
    [issue] = validate_glossary_file(path).errors
    assert (issue.code, issue.line, issue.column) == ("extra-cells", 2, 7)


def test_unclosed_quote_is_a_syntax_error(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + 'general,"订单号,order number,注文番号,,\ngeneral,运费,shipping cost,送料,,\n')
    assert "csv-syntax" in codes(validate_glossary_file(path))


def test_bad_flag_bad_domain_and_control_characters(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + "Electronics,芯片,chip,チップ,,maybe\ngeneral,运费,ship\x07ping,送料,,\n")
    assert sorted(codes(validate_glossary_file(path))) == ["bad-domain", "bad-flag", "control-character"]


def test_header_only_and_empty_files_are_rejected(write_csv) -> None:  # type: ignore[no-untyped-def]
    assert codes(validate_glossary_file(write_csv(HEADER, "a.csv"))) == ["no-concepts"]
    assert codes(validate_glossary_file(write_csv("", "b.csv"))) == ["empty-file"]
    assert codes(validate_glossary_file(write_csv("zh,en\n芯片,chip\n", "c.csv"))) == ["header"]


def test_warnings_do_not_reject(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(HEADER + "machinery,轴,shaft,シャフト,,\nmachinery,齿轮,,,,\n")
    report = validate_glossary_file(path)
    assert report.ok and report.glossary is not None
    assert sorted(i.code for i in report.warnings) == ["short-term", "single-language"]
    assert all(i.severity is Severity.WARNING for i in report.warnings)


def test_every_error_is_reported_not_only_the_first() -> None:
    raw = (HEADER + "general,订单号,order number,注文番号,,\ngeneral,订单号,order no,注文No,,\n"
           "general,,,,,\ngeneral,运费,shipping cost,送料,,perhaps\n").encode()
    report = validate_glossary_bytes(raw, "inline.csv")
    assert codes(report) == ["duplicate-term", "empty-concept", "bad-flag"]
    assert report.version and report.glossary is None


def test_validate_file_accepts_csv_and_tbx(write_csv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nlp.glossary.validate import validate_file

    csv_report = validate_file(write_csv(HEADER + "electronics,芯片,chip,チップ,,\n"))
    assert (csv_report.ok, csv_report.concepts, csv_report.languages) == (True, 1, ["zh", "en", "ja"])
    tbx = tmp_path / "supplier.tbx"
    entry = '<termEntry><langSet xml:lang="en"><tig><term>chip</term></tig></langSet></termEntry>'
    tbx.write_text(f"<martif><text><body>{entry}{entry}</body></text></martif>", encoding="utf-8")
    assert [i.code for i in validate_file(tbx).errors] == ["duplicate-term"]
    tbx.write_text("<martif><text>", encoding="utf-8")
    assert [i.code for i in validate_file(tbx).errors] == ["tbx"]
