#!/usr/bin/env python3
"""Opens an Excel file Coop Atlas exported with openpyxl (a reader that is not ours) and checks
that it holds the table's figures as numbers, its text as text, the source and the label.

    cargo test --test xlsx_out            # writes target/xlsx-out/table-vi.xlsx and its figures
    python3 tests/xlsx_openpyxl.py        # checks them (pip install openpyxl)
    python3 tests/xlsx_openpyxl.py FILE.xlsx EXPECTED.json

The browser test (tests/e2e/xlsx-export.test.mjs) runs it on the file the page downloads.
Exits 1 with the reasons when a check fails.
"""
import json
import math
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent


def check(path: Path, expected_path: Path) -> list:
    want = json.loads(expected_path.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    bad = []
    if ws.title not in ("Bảng", "Table"):
        bad.append(f"sheet named {ws.title!r}")
    header = [c.value for c in ws[1]]
    if header[: len(want["header"])] != want["header"]:
        bad.append(f"header {header} != {want['header']}")
    if not all(c.font.bold for c in ws[1] if c.value is not None):
        bad.append("header not bold")
    if ws.freeze_panes != "A2":
        bad.append(f"header not frozen: {ws.freeze_panes}")
    numbers = 0
    for i, row in enumerate(want["rows"]):
        cells = ws[i + 2]
        if cells[0].value != row["key"] or cells[0].data_type != "s":
            bad.append(f"row {i + 2}: code {cells[0].value!r} ({cells[0].data_type}) != {row['key']!r}")
        if cells[1].value != row["label"]:
            bad.append(f"row {i + 2}: name {cells[1].value!r} != {row['label']!r}")
        for k, v in enumerate(row["values"]):
            cell = cells[k + 2] if k + 2 < len(cells) else None
            got = None if cell is None else cell.value
            if v is None:
                if got is not None:
                    bad.append(f"{cell.coordinate}: {got!r} where the table has no figure")
                continue
            if not isinstance(got, (int, float)) or isinstance(got, bool):
                bad.append(f"row {i + 2} column {k + 3}: {got!r} is not a number")
                continue
            if not math.isclose(got, v, rel_tol=0, abs_tol=1e-9 * max(1.0, abs(v))):
                bad.append(f"{cell.coordinate}: {got} != {v}")
            if cell.number_format == "General":
                bad.append(f"{cell.coordinate}: no number format")
            numbers += 1
    if numbers < len(want["rows"]) * 5:
        bad.append(f"only {numbers} figures")
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    if not any(t.startswith(("Nguồn: ", "Source: ")) and want["source"] in t for t in texts):
        bad.append("no source line")
    if want.get("illustrative") and want["illustrative"] not in texts:
        bad.append("no illustrative label")
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(len(want["header"]))]
    if any(w is None or w < 6 for w in widths):
        bad.append(f"column widths {widths}")
    return bad


def main() -> int:
    if len(sys.argv) == 3:
        path, expected = Path(sys.argv[1]), Path(sys.argv[2])
    else:
        path, expected = ROOT / "target/xlsx-out/table-vi.xlsx", ROOT / "target/xlsx-out/table-vi.expected.json"
    bad = check(path, expected)
    for b in bad:
        print(f"{path.name}: {b}", file=sys.stderr)
    if not bad:
        print(f"{path.name}: openpyxl reads the same figures ({len(json.loads(expected.read_text(encoding='utf-8'))['rows'])} rows)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
