#!/usr/bin/env python3
"""Builds public/data/gso/official.json: published, sourced figures on Vietnam's collective economy.

Why a script: the figures come from CSV files with a SOURCE note on every row
(scripts/reference/, copies of /work/shared/data/stats); turning them into the Coop Atlas dataset
format by hand would lose the notes and invite typos. The script is stdlib-only and deterministic
(sorted output, no clock), so re-running it yields byte-identical output, and it asserts the
known totals (2022: 15,832 active cooperatives and 163,101 workers over the 63 provinces; regions
adding up to 29,378 existing cooperatives) before writing anything.

Two concepts are kept apart on purpose, as different indicator ids:
- htx_active: GSO's "HTX đang hoạt động có kết quả SXKD" (active with business results, from the
  enterprise survey): 15,832 in 2022;
- htx_total: all existing cooperatives (Sách trắng HTX / MPI / VCA): 29,378 at 31/12/2022.

Where sources disagree for the same year (end-2024 cooperatives: ministry 33,335, Alliance 33,557;
OCOP: coordination office 14,642 products, a magazine 15,590), both figures are written, each with
its `authority` and `published` date, and the app's engine chooses the one charts draw
(engine::source_choice: the more official publisher, then the later date). A figure of an earlier
month of the same year (the Alliance's November 2022 count, OCOP at April 2024) is an older state,
not a rival: it is quoted in the note of the year-end figure.

Targets (scripts/reference/targets.csv): Decision 1318/QĐ-TTg (2025) and Resolution 20-NQ/TW
(2030), each with the document, its wording, where it was read and what it was checked against.

Usage: python3 scripts/build_official.py [--check]
  --check  do not write; exit 1 if the file on disk differs from what would be written.
"""

import csv
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, "scripts", "reference")
OUT = os.path.join(ROOT, "public", "data", "gso", "official.json")

TITLE_VI = "Số liệu chính thức về kinh tế tập thể (TCTK và các nguồn công bố)"
TITLE_EN = "Official figures on the collective economy (GSO and published sources)"

REGION_CODES = {
    "Trung du và miền núi phía Bắc": "tdmnpb",
    "Đồng bằng sông Hồng": "dbsh",
    "Bắc Trung Bộ và Duyên hải miền Trung": "btb",
    "Tây Nguyên": "tn",
    "Đông Nam Bộ": "dnb",
    "Đồng bằng sông Cửu Long": "dbscl",
}

GSO_PX = ("GSO (TCTK) PX-Web, bảng \"Số hợp tác xã đang hoạt động có kết quả SXKD tại thời điểm 31/12 "
          "phân theo địa phương\" và \"Số lao động trong hợp tác xã đang hoạt động có kết quả SXKD\"; "
          "lấy qua bản thu thập của bên thứ ba github vantu-fit/FlowSight final.csv @816ac143")

# Who published a figure, in plain words in both languages: what a figure's caption shows. The full
# citation (links, how the figure was obtained, confidence) stays in "source" for the Sources tab.
PUB_GSO_2022 = ("Tổng cục Thống kê, cơ sở dữ liệu trực tuyến, số liệu năm 2022",
                "General Statistics Office, online database, 2022 figures")
PUB_WHITE_BOOK_2023 = ("Bộ Kế hoạch và Đầu tư, Sách trắng Hợp tác xã Việt Nam 2023",
                       "Ministry of Planning and Investment, Vietnam Cooperative White Book 2023")
PUB_OCOP = ("Văn phòng Điều phối nông thôn mới Trung ương (Chương trình OCOP), qua báo chí",
            "Central Coordination Office for New Rural Development (OCOP programme), as quoted in the press")
# national_kttt_totals.csv "publisher_basis" -> publisher ("same": the row above's)
PUBLISHERS = {
    "GSO Sách trắng HTX 2020": ("Tổng cục Thống kê, Sách trắng Hợp tác xã Việt Nam 2020",
                                "General Statistics Office, Vietnam Cooperative White Book 2020"),
    "GSO/MPI Sách trắng HTX 2023": PUB_WHITE_BOOK_2023,
    "MARD/gov report quoted": ("Bộ Nông nghiệp và Phát triển nông thôn, báo cáo trích trên báo chí",
                               "Ministry of Agriculture and Rural Development, report quoted in the press"),
    "MARD quoted": ("Bộ Nông nghiệp và Phát triển nông thôn, số liệu trích trên báo chí",
                    "Ministry of Agriculture and Rural Development, as quoted in the press"),
    "VCA via Vietnamplus infographic": ("Liên minh Hợp tác xã Việt Nam, số liệu trích trên báo chí",
                                        "Vietnam Cooperative Alliance, as quoted in the press"),
    "government report quoted": ("Báo cáo của Chính phủ, trích trên báo chí", "Government report, as quoted in the press"),
    "quoted": ("Số liệu trích trên báo chí", "Figure quoted in the press"),
    "VCA report Nov 2022": ("Liên minh Hợp tác xã Việt Nam, báo cáo tháng 11/2022",
                            "Vietnam Cooperative Alliance, report of November 2022"),
    "MPI report to Steering Committee 2023-04-07": ("Bộ Kế hoạch và Đầu tư, báo cáo ngày 7/4/2023",
                                                    "Ministry of Planning and Investment, report of 7 April 2023"),
    "MPI report 2023-04-07": ("Bộ Kế hoạch và Đầu tư, báo cáo ngày 7/4/2023",
                              "Ministry of Planning and Investment, report of 7 April 2023"),
    "GSO PX-Web via third-party scrape": PUB_GSO_2022,
    "VCA press briefing 2024-03-28": ("Liên minh Hợp tác xã Việt Nam, họp báo ngày 28/3/2024",
                                      "Vietnam Cooperative Alliance, press briefing of 28 March 2024"),
    "VCA report": ("Liên minh Hợp tác xã Việt Nam, báo cáo", "Vietnam Cooperative Alliance, report"),
    "Ministry of Finance report 768/BC-BTC (12/12/2025)": ("Bộ Tài chính, báo cáo số 768/BC-BTC ngày 12/12/2025, trích trên báo chí",
                                                           "Ministry of Finance, report 768/BC-BTC of 12 December 2025, as quoted in the press"),
    "MPI report to the Steering Committee (7/4/2023)": ("Bộ Kế hoạch và Đầu tư, báo cáo Ban Chỉ đạo ngày 7/4/2023",
                                                        "Ministry of Planning and Investment, report to the Steering Committee of 7 April 2023"),
    "Central NTM Coordination Office (conference 16/1/2025)": ("Văn phòng Điều phối nông thôn mới Trung ương, hội nghị ngày 16/1/2025",
                                                               "Central Coordination Office for New Rural Development, conference of 16 January 2025"),
    "ministry report quoted by nongnghiep.vn": ("Báo cáo của Bộ Nông nghiệp, trích trên báo Nông nghiệp Việt Nam",
                                                "Ministry of Agriculture report, as quoted by the Vietnam Agriculture newspaper"),
}

# id -> (label vi, label en, unit, summable, description vi, description en)
INDICATORS = {
    "htx_active": (
        "HTX đang hoạt động có kết quả SXKD", "Cooperatives active with business results", "count", True,
        "Số hợp tác xã đang hoạt động có kết quả sản xuất kinh doanh tại 31/12 (điều tra doanh nghiệp của TCTK). "
        "KHÁC với tổng số HTX hiện có: năm 2022 là 15.832 so với 29.378.",
        "Cooperatives active with business results at 31 December (GSO enterprise survey). NOT the number of "
        "existing cooperatives: 15,832 vs 29,378 in 2022."),
    "htx_active_workers": (
        "Lao động trong HTX đang hoạt động có kết quả SXKD", "Workers of cooperatives active with business results",
        "persons", True,
        "Số lao động trong các HTX đang hoạt động có kết quả SXKD (TCTK); 163.101 người năm 2022.",
        "Workers of the cooperatives active with business results (GSO); 163,101 in 2022."),
    "htx_total": (
        "Tổng số HTX hiện có", "All existing cooperatives", "count", True,
        "Tổng số hợp tác xã hiện có (kể cả chưa có kết quả SXKD), theo Sách trắng HTX, Bộ KH&ĐT, Liên minh HTX.",
        "All existing cooperatives, including those without business results (White Book, MPI, VCA)."),
    "htx_members": (
        "Thành viên HTX", "Cooperative members", "persons", True,
        "Tổng số thành viên hợp tác xã.", "Members of all cooperatives."),
    "htx_regular_workers": (
        "Lao động thường xuyên trong HTX", "Regular cooperative workers", "persons", True,
        "Lao động làm việc thường xuyên trong HTX (chuỗi số của Bộ/Liên minh; khác chuỗi TCTK).",
        "Regular workers of cooperatives (ministry/VCA series; not the GSO series)."),
    "htx_worker_income": (
        "Thu nhập bình quân lao động HTX", "Average income of a cooperative worker", "vnd_month", False,
        "Thu nhập bình quân của lao động thường xuyên trong HTX, đổi từ triệu đồng/năm sang đồng/tháng (÷12).",
        "Average income of a regular cooperative worker, converted from million VND a year to VND a month (÷12)."),
    "htx_agri_total": (
        "HTX nông nghiệp", "Agricultural cooperatives", "count", True,
        "Số HTX nông nghiệp.", "Agricultural cooperatives."),
    "htx_new": (
        "HTX thành lập mới trong năm", "Cooperatives founded in the year", "count", True,
        "Số HTX thành lập mới trong năm.", "Cooperatives newly founded in the year."),
    "htx_net_revenue": (
        "Doanh thu thuần của HTX có kết quả SXKD", "Net revenue of active cooperatives", "billion_vnd", True,
        "Doanh thu thuần của các HTX đang hoạt động có kết quả SXKD, tỷ đồng.",
        "Net revenue of cooperatives active with business results, billion VND."),
    "htx_pretax_profit": (
        "Lợi nhuận trước thuế của HTX", "Pre-tax profit of cooperatives", "billion_vnd", True,
        "Lợi nhuận trước thuế của các HTX đang hoạt động có kết quả SXKD, tỷ đồng.",
        "Pre-tax profit of cooperatives active with business results, billion VND."),
    "htx_revenue_total": (
        "Tổng doanh thu HTX", "Total cooperative revenue", "billion_vnd", True,
        "Tổng doanh thu của HTX theo báo cáo Liên minh HTX, tỷ đồng.", "Total cooperative revenue (VCA report), billion VND."),
    "htx_charter_capital": (
        "Vốn điều lệ HTX", "Cooperative charter capital", "billion_vnd", True,
        "Tổng vốn điều lệ của HTX, tỷ đồng.", "Total charter capital of cooperatives, billion VND."),
    "htx_avg_revenue": (
        "Doanh thu bình quân một HTX", "Average revenue per cooperative", "billion_vnd", False,
        "Doanh thu bình quân một HTX, tỷ đồng (không cộng được giữa các vùng).",
        "Average revenue per cooperative, billion VND (not additive across areas)."),
    "htx_avg_profit": (
        "Lợi nhuận bình quân một HTX", "Average profit per cooperative", "million_vnd", False,
        "Lợi nhuận bình quân một HTX, triệu đồng (không cộng được giữa các vùng).",
        "Average profit per cooperative, million VND (not additive across areas)."),
    "tht_members": (
        "Thành viên tổ hợp tác", "Members of cooperative groups", "persons", True,
        "Tổng số thành viên tổ hợp tác.", "Members of all cooperative groups."),
    "lhhtx_member_htx": (
        "HTX thành viên của liên hiệp HTX", "Cooperatives that are members of unions", "count", True,
        "Số hợp tác xã là thành viên của các liên hiệp hợp tác xã.",
        "Cooperatives that are members of a union of cooperatives."),
    "kttt_good_fair_share": (
        "Tỷ lệ tổ chức KTTT xếp loại tốt, khá", "Share of collective organisations rated good or fair", "share", False,
        "Tỷ lệ tổ chức kinh tế tập thể được xếp loại tốt, khá (0–1).",
        "Collective economic organisations rated good or fair (0–1)."),
    "kttt_good_value_chain_share": (
        "Tỷ lệ tổ chức KTTT tốt, khá tham gia chuỗi giá trị", "Share of good or fair organisations in value chains",
        "share", False,
        "Trong các tổ chức kinh tế tập thể xếp loại tốt, khá: tỷ lệ tham gia liên kết theo chuỗi giá trị (0–1). "
        "Chưa có số liệu công bố; có vì Nghị quyết 20-NQ/TW đặt mục tiêu.",
        "Among collective organisations rated good or fair: the share linked in value chains (0–1). No published "
        "figure yet; here because Resolution 20-NQ/TW sets a target."),
    "htx_high_tech_total": (
        "HTX ứng dụng công nghệ cao", "Cooperatives applying high technology", "count", True,
        "Số hợp tác xã ứng dụng công nghệ cao. Chưa có số liệu toàn quốc được xác minh; có vì Nghị quyết 20-NQ/TW "
        "đặt mục tiêu.",
        "Cooperatives applying high technology. No verified national figure yet; here because Resolution "
        "20-NQ/TW sets a target."),
    "tht_total": (
        "Tổng số tổ hợp tác", "Cooperative groups", "count", True,
        "Tổng số tổ hợp tác.", "All cooperative groups."),
    "qtdnd_total": (
        "Quỹ tín dụng nhân dân", "People's credit funds", "count", True,
        "Số quỹ tín dụng nhân dân (được tính trong tổng số HTX).",
        "People's credit funds (counted within the cooperative total)."),
    "lhhtx_total": (
        "Liên hiệp HTX", "Unions of cooperatives", "count", True,
        "Số liên hiệp hợp tác xã.", "Unions of cooperatives."),
    "ocop_products_rated": (
        "Sản phẩm OCOP từ 3 sao (cả nước)", "OCOP products rated 3+ stars (national)", "products", True,
        "Số sản phẩm OCOP được đánh giá, phân hạng từ 3 sao trở lên, lũy kế.",
        "OCOP products rated 3 stars or more, cumulative."),
    "ocop_products_5star": (
        "Sản phẩm OCOP 5 sao (cả nước)", "5-star OCOP products (national)", "products", True,
        "Số sản phẩm OCOP 5 sao (cấp quốc gia), lũy kế.", "National-level 5-star OCOP products, cumulative."),
    "ocop_subjects_rated": (
        "Chủ thể OCOP (cả nước)", "OCOP subjects (national)", "count", True,
        "Số chủ thể có sản phẩm OCOP từ 3 sao (HTX, doanh nghiệp, hộ kinh doanh, THT).",
        "Subjects (cooperatives, enterprises, households, groups) with OCOP products rated 3+ stars."),
    "ocop_subject_share_htx": (
        "Tỷ lệ chủ thể OCOP là HTX", "Share of OCOP subjects that are cooperatives", "share", False,
        "Tỷ lệ HTX trong các chủ thể OCOP (0–1).", "Cooperatives among OCOP subjects (0–1)."),
    "ocop_subject_share_dn": (
        "Tỷ lệ chủ thể OCOP là doanh nghiệp", "Share of OCOP subjects that are enterprises", "share", False,
        "Tỷ lệ doanh nghiệp trong các chủ thể OCOP (0–1).", "Enterprises among OCOP subjects (0–1)."),
    "ocop_subject_share_hkd": (
        "Tỷ lệ chủ thể OCOP là hộ kinh doanh", "Share of OCOP subjects that are households", "share", False,
        "Tỷ lệ cơ sở sản xuất/hộ kinh doanh trong các chủ thể OCOP (0–1).",
        "Household businesses among OCOP subjects (0–1)."),
}

# national_kttt_totals.csv indicator -> our id (None = handled elsewhere)
NATIONAL_MAP = {
    "htx_total": "htx_total",
    "htx_members": "htx_members",
    "htx_with_business_activity": "htx_active",
    "htx_net_revenue": "htx_net_revenue",
    "htx_pretax_profit": "htx_pretax_profit",
    "tht_total": "tht_total",
    "lhhtx_total": "lhhtx_total",
    "htx_regular_workers": "htx_regular_workers",
    "htx_worker_avg_income": "htx_worker_income",
    "htx_agri_total": "htx_agri_total",
    "qtdnd_total": "qtdnd_total",
    "htx_new": "htx_new",
    "htx_revenue_total": "htx_revenue_total",
    "htx_charter_capital": "htx_charter_capital",
    "htx_avg_revenue": "htx_avg_revenue",
    "htx_active_with_business_results_sum63": "htx_active",
    "htx_workers_active_sum63": "htx_active_workers",
    # national_2023_2025.csv uses the app's ids directly
    "htx_avg_profit": "htx_avg_profit",
    "tht_members": "tht_members",
    "lhhtx_member_htx": "lhhtx_member_htx",
    "kttt_good_fair_share": "kttt_good_fair_share",
    "ocop_products_rated": "ocop_products_rated",
    "ocop_subjects_rated": "ocop_subjects_rated",
}

# publisher_basis of national_kttt_totals.csv -> authority (engine::dataset::Authority): who
# published the figure, which decides between two figures for the same year. "same" repeats the
# row above.
AUTHORITY = {
    "GSO Sách trắng HTX 2020": "statistics",
    "GSO/MPI Sách trắng HTX 2023": "statistics",
    "GSO PX-Web via third-party scrape": "statistics",
    "MARD/gov report quoted": "government",
    "government report quoted": "government",
    "MARD quoted": "government",
    "MPI report to Steering Committee 2023-04-07": "government",
    "MPI report 2023-04-07": "government",
    "ministry report quoted by nongnghiep.vn": "government",
    "VCA via Vietnamplus infographic": "association",
    "VCA report Nov 2022": "association",
    "VCA press briefing 2024-03-28": "association",
    "VCA report": "association",
    "quoted": "press",
}

# ocop_national.csv rows: every figure there reached us through the press; the 12/2024 row is a
# trade magazine's (the issue's "15,590 from a trade magazine"), against the coordination office's
# own 14,642 at its conference of 16/1/2025 (national_2023_2025.csv, authority "agency").
OCOP_AUTHORITY = "press"

def read_csv(name):
    with open(os.path.join(REF, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def year_of(as_of):
    """'2022-12-31' -> 2022; '~2021-end' -> 2021; '2019-06' -> 2019."""
    digits = "".join(ch if ch.isdigit() else " " for ch in as_of).split()
    for d in digits:
        if len(d) == 4:
            return int(d)
    raise ValueError(f"no year in as_of {as_of!r}")


def full_date(as_of):
    """Returns as_of when it is an exact YYYY-MM-DD date, else None (the format wants full dates)."""
    s = as_of.strip()
    if len(s) == 10 and s[4] == "-" and s[7] == "-" and s.replace("-", "").isdigit():
        return s
    return None


def number(s):
    v = float(s)
    return int(v) if v == int(v) else v


def obs(area, year, indicator, value, unit, source, confidence, note, as_of=None, authority=None, published=None,
        publisher=None):
    o = {"area": area, "year": year}
    if as_of:
        o["as_of"] = as_of
    o.update({"indicator": indicator, "value": value, "unit": unit, "source": source})
    if publisher:
        o["publisher"] = {"vi": publisher[0], "en": publisher[1]}
    if confidence:
        o["confidence"] = confidence
    if note:
        o["note"] = note
    if authority:
        o["authority"] = authority
    if published:
        o["published"] = published
    return o


def snapshot_month(as_of):
    """The month a figure describes: '2022-11' -> 11; a year alone or 'end' -> 12 (a year's figure)."""
    digits = "".join(ch if ch.isdigit() else " " for ch in as_of).split()
    return int(digits[1]) if len(digits) > 1 and len(digits[0]) == 4 else 12


def province_observations():
    rows = [r for r in read_csv("gso_htx_active_by_province_2022.csv") if r["old_code"] != "00"]
    assert len(rows) == 63, f"expected 63 provinces, found {len(rows)}"
    assert len({r["old_code"] for r in rows}) == 63, "duplicate province code"
    total_htx = sum(int(r["htx_active_with_business_results"]) for r in rows)
    total_workers = sum(int(r["htx_workers"]) for r in rows)
    assert total_htx == 15832, f"2022 active HTX sum is {total_htx}, expected 15832"
    assert total_workers == 163101, f"2022 workers sum is {total_workers}, expected 163101"
    out = []
    for r in rows:
        conf = r["confidence"]
        out.append(obs(r["old_code"], 2022, "htx_active", int(r["htx_active_with_business_results"]), "count",
                       GSO_PX, conf, "HTX đang hoạt động có kết quả SXKD tại 31/12/2022 (không phải tổng số HTX hiện có)",
                       "2022-12-31", publisher=PUB_GSO_2022))
        out.append(obs(r["old_code"], 2022, "htx_active_workers", int(r["htx_workers"]), "persons",
                       GSO_PX, conf, "Lao động trong HTX đang hoạt động có kết quả SXKD, 2022", "2022-12-31",
                       publisher=PUB_GSO_2022))
    return out


def region_observations():
    rows = read_csv("htx_by_region_2022_sachtrang2023.csv")
    out = []
    total = 0
    for r in rows:
        if r["gso_region_6"] == "TOTAL":
            continue
        code = REGION_CODES[r["gso_region_6"]]
        total += int(r["htx_total"])
        src = r["SOURCE"] if r["SOURCE"] != "same" else rows[0]["SOURCE"]
        out.append(obs(code, 2022, "htx_total", int(r["htx_total"]), "count", src, "high",
                       f"Tổng số HTX hiện có tại 31/12/2022 ({r['share_pct']}% cả nước), Sách trắng HTX Việt Nam 2023",
                       r["as_of"], publisher=PUB_WHITE_BOOK_2023))
    assert len(out) == 6 and total == 29378, f"regions sum to {total}, expected 29378"
    return out


def national_observations():
    cands = []
    rows = [(r, "national_kttt_totals.csv") for r in read_csv("national_kttt_totals.csv")]
    rows += [(r, "national_2023_2025.csv") for r in read_csv("national_2023_2025.csv")]
    basis = None
    for r, _file in rows:
        ind = NATIONAL_MAP[r["indicator"]]
        unit = INDICATORS[ind][2]
        value = number(r["value"])
        note = r["scope_note"]
        basis = basis if r["publisher_basis"] == "same" else r["publisher_basis"]
        authority = r.get("authority") or AUTHORITY[basis]
        publisher = PUBLISHERS[basis]
        if ind == "htx_worker_income":
            # million VND per person per year -> VND per person per month
            value = int(round(float(r["value"]) * 1_000_000 / 12))
            note = f"{r['value']} triệu đồng/người/năm ÷ 12; {note}"
        src = f"{basis}: {r['SOURCE']}"
        cands.append(obs("VN", year_of(r["as_of"]), ind, value, unit, src, r["confidence"], note,
                         full_date(r["as_of"]), authority, r.get("published") or None, publisher) | {"_as_of_raw": r["as_of"]})
    for r in read_csv("ocop_national.csv"):
        year = year_of(r["as_of"])
        src, conf = r["SOURCE"], r["confidence"]
        base_note = f"thời điểm {r['as_of']}"
        for col, ind, scale in [("products_3star_plus", "ocop_products_rated", 1),
                                ("n_5star", "ocop_products_5star", 1),
                                ("subjects_total", "ocop_subjects_rated", 1),
                                ("pct_subjects_htx", "ocop_subject_share_htx", 100),
                                ("pct_subjects_enterprise", "ocop_subject_share_dn", 100),
                                ("pct_subjects_household", "ocop_subject_share_hkd", 100)]:
            raw = r[col].strip()
            try:
                v = float(raw)
            except ValueError:
                continue  # empty or "rest"
            value = round(v / scale, 4) if scale != 1 else number(raw)
            cands.append(obs("VN", year, ind, value, INDICATORS[ind][2], src, conf, base_note,
                             full_date(r["as_of"]), OCOP_AUTHORITY, None, PUB_OCOP) | {"_as_of_raw": r["as_of"]})
    # Per (indicator, year): the figures of the latest month are kept, all of them (the engine
    # chooses among rivals and shows the others); a figure of an earlier month of the same year is
    # an older state, quoted in the note of each kept figure.
    groups = {}
    for o in cands:
        groups.setdefault((o["indicator"], o["year"]), []).append(o)
    out = []
    for key in sorted(groups):
        g = groups[key]
        last = max(snapshot_month(o["_as_of_raw"]) for o in g)
        kept = [o for o in g if snapshot_month(o["_as_of_raw"]) == last]
        earlier = [o for o in g if snapshot_month(o["_as_of_raw"]) != last]
        for keep in kept:
            if earlier:
                others = "; ".join(f"{o['value']} ({o['_as_of_raw']}, {o['source']})" for o in earlier)
                keep["note"] = f"{keep.get('note', '')}. Số liệu trước đó trong năm: {others}".lstrip(". ")
            out.append(keep)
        for o in g:
            del o["_as_of_raw"]
    return out


def targets():
    out = []
    for r in read_csv("targets.csv"):
        ind = r["indicator"]
        assert ind in INDICATORS, f"target for an undefined indicator {ind}"
        assert r["unit"] == INDICATORS[ind][2], f"target unit {r['unit']} is not {ind}'s"
        assert r["comparison"] in ("at_least", "about"), r["comparison"]
        out.append({"area": r["area"], "indicator": ind, "year": int(r["year"]), "value": number(r["value"]),
                    "unit": r["unit"], "comparison": r["comparison"], "source": r["SOURCE"],
                    "document": r["document"], "wording": r["wording"], "confidence": r["confidence"]})
    return out


def indicator_defs():
    defs = []
    for ind in sorted(INDICATORS):
        lv, le, unit, summable, dv, de = INDICATORS[ind]
        defs.append({"id": ind, "label": {"vi": lv, "en": le}, "description": {"vi": dv, "en": de},
                     "unit": unit, "observed": True, "summable": summable})
    return defs


def build():
    observations = province_observations() + region_observations() + national_observations()
    goals = targets()
    used = {o["indicator"] for o in observations} | {t["indicator"] for t in goals}
    assert used == set(INDICATORS), f"defined but unused or used but undefined: {used ^ set(INDICATORS)}"
    # Rival figures for one (area, year, indicator) are allowed only with distinct authorities or
    # dates, so the engine's rule can choose between them.
    seen = {}
    for o in observations:
        k = (o["area"], o["year"], o["indicator"])
        rank = (o.get("authority"), o.get("published") or o.get("as_of"))
        assert rank not in seen.get(k, []), f"two figures for {k} that no rule can tell apart"
        seen.setdefault(k, []).append(rank)
    # The known disagreements stay in, with the ministry's and the office's figures ranked first.
    for k, n in [(("VN", 2024, "htx_total"), 2), (("VN", 2024, "ocop_products_rated"), 2), (("VN", 2024, "ocop_subjects_rated"), 2)]:
        assert len(seen.get(k, [])) == n, f"{k}: {seen.get(k)}"
    years = sorted({o["year"] for o in observations})
    doc = {
        "format": "coop-atlas/1",
        "meta": {
            "id": "gso-chinh-thuc",
            "title": {"vi": TITLE_VI, "en": TITLE_EN},
            "description": {
                "vi": "Số liệu đã công bố, mỗi con số kèm nguồn và độ tin cậy. Theo tỉnh (63 tỉnh, 2022): số HTX đang "
                      "hoạt động có kết quả SXKD và lao động của các HTX đó (TCTK, qua bản thu thập PX-Web của bên thứ ba; "
                      "tổng 15.832 HTX và 163.101 lao động). Đây KHÔNG phải tổng số HTX hiện có (29.378 năm 2022, theo vùng "
                      "và cả nước, Sách trắng HTX 2023). Cả nước 2018–2025: tổng số HTX, THT, QTDND, liên hiệp HTX, thành "
                      "viên, lao động, thu nhập, doanh thu (Bộ KH&ĐT, Bộ Tài chính, Liên minh HTX Việt Nam) và OCOP (Văn phòng "
                      "Điều phối NTM Trung ương). Nơi hai nguồn vênh nhau, giữ cả hai; biểu đồ dùng số của cơ quan chính "
                      "thức hơn, rồi số công bố sau. Mục tiêu 2025 (Quyết định 1318/QĐ-TTg) và 2030 (Nghị quyết 20-NQ/TW).",
                "en": "Published figures, each with its source and confidence. By province (63, 2022): cooperatives active "
                      "with business results and their workers (GSO, via a third-party scrape of PX-Web; totals 15,832 and "
                      "163,101). These are NOT all existing cooperatives (29,378 in 2022, by region and nationally, "
                      "Cooperative White Book 2023). National 2018–2025: cooperatives, groups, credit funds, unions, "
                      "members, workers, income, revenue (MPI, Ministry of Finance, Vietnam Cooperative Alliance) and OCOP "
                      "(Central Coordination Office for New Rural Development). Where two sources disagree both are kept; charts use the more "
                      "official publisher's, then the later one. Targets for 2025 (Decision 1318/QĐ-TTg) and 2030 "
                      "(Resolution 20-NQ/TW).",
            },
            "source": {"publisher": {"vi": "Tổng cục Thống kê, Bộ Kế hoạch và Đầu tư, Liên minh HTX Việt Nam, "
                                          "Văn phòng Điều phối NTM Trung ương — xem nguồn từng số liệu",
                                    "en": "General Statistics Office (GSO), Ministry of Planning and Investment, "
                                          "Vietnam Cooperative Alliance, Central Coordination Office for New Rural "
                                          "Development — see each figure's source"},
                       "url": "https://pxweb.gso.gov.vn"},
            "licence": {"vi": "Số liệu công bố của cơ quan nhà nước, trích dẫn kèm nguồn",
                        "en": "Public official figures, quoted with their sources"},
            "illustrative": False,
            "boundary": 63,
            "years": years,
        },
        "observations": observations,
        "indicators": indicator_defs(),
        "targets": goals,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def main():
    text = build()
    if "--check" in sys.argv[1:]:
        try:
            with open(OUT, encoding="utf-8") as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        print("official.json up to date" if same else "official.json differs: run scripts/build_official.py")
        sys.exit(0 if same else 1)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"{len(text.encode('utf-8'))} bytes  {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
