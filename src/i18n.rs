//! The words of the interface, Vietnamese first and English second.
//!
//! One enum variant per message, so a missing translation is a compile error rather than a blank on
//! screen. Dataset text (titles, sources, indicator labels) carries its own `vi`/`en` and is not here.
//! Pure and native-tested like the engine.

use crate::engine::vocab::Lang;

macro_rules! messages {
    ( $( $(#[$m:meta])* $key:ident => $vi:literal, $en:literal; )+ ) => {
        /// A message of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $( $(#[$m])* $key, )+ }

        impl Msg {
            /// Every message, for tests.
            pub const ALL: &'static [Msg] = &[ $( Msg::$key, )+ ];
        }

        /// The message in `lang`.
        pub fn t(lang: Lang, msg: Msg) -> &'static str {
            match (msg, lang) {
                $( (Msg::$key, Lang::Vi) => $vi, (Msg::$key, Lang::En) => $en, )+
            }
        }
    };
}

messages! {
    AppName => "Atlas Kinh tế tập thể", "Coop Atlas";
    AppTagline => "Hợp tác xã, tổ hợp tác, quỹ tín dụng nhân dân theo tỉnh, vùng và năm",
        "Cooperatives, cooperative groups and people's credit funds by province, region and year";
    Dataset => "Bộ dữ liệu", "Dataset";
    Source => "Nguồn", "Source";
    Confidence => "Độ tin cậy", "Confidence";
    Illustrative => "Dữ liệu minh họa — không phải số liệu chính thức", "Illustrative data — not official statistics";
    Language => "Ngôn ngữ", "Language";
    OtherLanguage => "English", "Tiếng Việt";
    Share => "Chia sẻ", "Share";
    LinkCopied => "Đã sao chép liên kết vào bộ nhớ tạm", "Link copied to the clipboard";
    CopyThisLink => "Sao chép liên kết này", "Copy this link";
    Filters => "Bộ lọc", "Filters";
    Region => "Vùng", "Region";
    AllRegions => "Tất cả các vùng", "All regions";
    Provinces => "Tỉnh, thành phố", "Provinces";
    SearchProvince => "Tìm tỉnh (có dấu hoặc không dấu)", "Find a province (accents optional)";
    NoMatch => "Không tìm thấy", "No match";
    Year => "Năm", "Year";
    Play => "Chạy qua các năm", "Play through the years";
    Pause => "Dừng", "Pause";
    Kind => "Loại hình", "Kind";
    Sector => "Lĩnh vực", "Sector";
    AllSectors => "Tất cả lĩnh vực", "All sectors";
    Any => "Tất cả", "Any";
    Yes => "Có", "Yes";
    No => "Không", "No";
    HighTech => "Ứng dụng công nghệ cao", "High technology";
    ValueChain => "Sản xuất theo chuỗi giá trị", "Value chain";
    Trademark => "Có nhãn hiệu", "Registered trademark";
    EthnicArea => "Vùng đồng bào DTTS & MN", "Ethnic-minority & mountain area";
    Boundary => "Địa giới", "Boundaries";
    Boundary63 => "63 tỉnh (trước 1/7/2025)", "63 provinces (before 1 Jul 2025)";
    Boundary34 => "34 tỉnh (từ 1/7/2025)", "34 provinces (from 1 Jul 2025)";
    ActiveFilters => "Đang lọc", "Active filters";
    RemoveFilter => "Bỏ lọc", "Remove filter";
    ClearAll => "Bỏ tất cả", "Clear all";
    ClearArea => "Bỏ lọc vùng, tỉnh", "Clear the region and province filter";
    ClearRowFilters => "Bỏ các bộ lọc không áp dụng", "Remove the filters not applied";
    OtherDataset => "Xem bộ dữ liệu khác", "Switch dataset";
    SeeOfficial => "Xem số liệu chính thức", "See the official figures";
    NotApplied => "không áp dụng", "not applied";
    RowFiltersNotApplicable => "Bộ dữ liệu này chỉ có số liệu đã công bố theo địa bàn: không lọc được theo loại hình, lĩnh vực hay đặc điểm của đơn vị.",
        "This dataset has only published figures by area: it cannot be filtered by kind, sector or unit characteristics.";
    NoFilters => "Chưa lọc: toàn bộ dữ liệu", "No filter: the whole dataset";
    PublishedOn => "Ngày công bố", "Published";
    ShowFilters => "Mở bộ lọc", "Show filters";
    HideFilters => "Thu gọn", "Hide";
    OpenInAtlas => "Mở trong Atlas KTTT ↗", "Open in Coop Atlas ↗";
    Headline => "Số liệu chính", "Headline figures";
    TabProfile => "Hồ sơ", "Profile";
    ViewProfile => "Xem hồ sơ", "View profile";
    PrintPdf => "In / Lưu PDF", "Print / Save PDF";
    CompareWith => "So sánh với năm", "Compare with the year";
    NoComparison => "Không so sánh", "No comparison";
    ProducedOn => "Lập ngày", "Produced on";
    ProfileFigures => "Số liệu, thay đổi và thứ hạng", "Figures, changes and rank";
    ProfileTrends => "Xu hướng qua các năm", "Trends over the years";
    ProfileMap => "Vị trí", "Location";
    ProfileComposition => "Cơ cấu theo loại hình và lĩnh vực", "Composition by kind and by sector";
    ProfileCoverage => "Bộ dữ liệu không bao gồm", "What the dataset does not cover";
    ProfileSources => "Nguồn số liệu", "Sources";
    MoreIndicators => "Thêm chỉ tiêu", "More indicators";
    ChangeFromPrev => "so với năm trước", "vs previous year";
    ShareOfWhole => "của toàn bộ dữ liệu", "of the whole dataset";
    Records => "bản ghi", "records";
    NoData => "Không có số liệu", "No data";
    Loading => "Đang tải…", "Loading…";
    LoadingYears => "Đang tải các năm trước…", "Loading earlier years…";
    LoadingChart => "Đang tải công cụ vẽ biểu đồ…", "Loading the chart library…";
    TabMap => "Bản đồ", "Map";
    TabChart => "Biểu đồ", "Chart";
    TabTable => "Bảng", "Table";
    TabSources => "Nguồn & định nghĩa", "Sources & definitions";
    Indicator => "Chỉ tiêu", "Indicator";
    Classes => "Phân lớp", "Classes";
    ClassEqual => "Khoảng đều làm tròn", "Rounded equal steps";
    ClassQuantile => "Phân vị", "Quantiles";
    ClassJenks => "Ngắt tự nhiên", "Natural breaks";
    ClassCustom => "Tự chọn", "Custom";
    CustomBreaks => "Ngưỡng (cách nhau bởi dấu ;)", "Breaks (separated by ;)";
    Apply => "Áp dụng", "Apply";
    Legend => "Chú giải", "Legend";
    MapHint => "Chạm hoặc bấm vào một tỉnh để chọn tỉnh đó.", "Tap or click a province to select it.";
    ChartRank => "Xếp hạng tỉnh", "Provinces ranked";
    ChartTrend => "Xu hướng theo năm", "Trend over the years";
    ChartMix => "Cơ cấu theo loại hình", "Composition by kind";
    ChartCompare => "So sánh với vùng và toàn bộ", "Compared with region and whole";
    ChartKind => "Loại biểu đồ", "Chart";
    DownloadPng => "Tải ảnh PNG", "Download PNG";
    DownloadSvg => "Tải ảnh SVG", "Download SVG";
    DownloadCsv => "Tải CSV (Excel)", "Download CSV (Excel)";
    DownloadXlsx => "Tải Excel (.xlsx)", "Download Excel (.xlsx)";
    ExportBusy => "Đang tạo tệp Excel…", "Making the Excel file…";
    ExportFailed => "Không tạo được tệp Excel: hãy tải lại trang và thử lại (lần đầu cần kết nối mạng).", "The Excel file could not be made: reload the page and try again (the first time needs a connection).";
    Total => "Tổng", "Total";
    Province => "Tỉnh", "Province";
    RowsBy => "Dòng theo", "Rows by";
    ByProvince => "Tỉnh", "Province";
    ByRegion => "Vùng", "Region";
    SortBy => "Sắp xếp theo", "Sort by";
    WholeDataset => "Toàn bộ dữ liệu", "Whole dataset";
    SelectedProvinces => "Các tỉnh đã chọn (cộng lại)", "Selected provinces (together)";
    Definition => "Định nghĩa", "Definition";
    Formula => "Cách tính", "How it is computed";
    Verbatim => "Trích dẫn nguyên văn", "Citation as given";
    Unit => "Đơn vị", "Unit";
    Licence => "Giấy phép", "Licence";
    ReferenceDate => "Thời điểm", "Reference date";
    Description => "Mô tả", "Description";
    Publisher => "Đơn vị công bố", "Publisher";
    CrosswalkNote => "Từ 1/7/2025, 63 tỉnh, thành phố được sắp xếp thành 34 (Nghị quyết 202/2025/QH15). Khi xem theo 34 tỉnh, số đếm và tổng được cộng dồn chính xác theo bảng chuyển đổi; các tỷ lệ và bình quân được tính lại từ tử số và mẫu số, không lấy bình quân của bình quân.",
        "From 1 July 2025 the 63 provinces were merged into 34 (Resolution 202/2025/QH15). Viewed in 34 provinces, counts and sums add up exactly through the crosswalk; shares and means are recomputed from their numerators and denominators, never averaged.";
    PrivacyNote => "Dữ liệu bạn tự mở chỉ được xử lý trên thiết bị này: ứng dụng không gửi dữ liệu đi đâu cả.",
        "Data you open yourself is processed on this device only: the app sends it nowhere.";
    MapCredit => "Bản đồ: Natural Earth (phạm vi công cộng), đơn giản hóa; có Quần đảo Hoàng Sa và Quần đảo Trường Sa.",
        "Map: Natural Earth (public domain), simplified; includes the Hoàng Sa and Trường Sa archipelagos.";
    NoticeTitle => "Một số tham số trong liên kết không hợp lệ và đã được thay bằng mặc định:",
        "Some settings in the link were not valid and were replaced by defaults:";
    Dismiss => "Đóng", "Dismiss";
    LoadError => "Không tải được dữ liệu", "Could not load the data";
    Retry => "Thử lại", "Retry";
    Observed => "Số liệu công bố", "Published figure";
    /// The Sources tab's list of targets, with their documents and wording.
    Targets => "Mục tiêu", "Targets";
    Target => "Mục tiêu", "Target";
    /// The Sources tab's list of figures two sources give differently.
    RivalFigures => "Nơi các nguồn khác nhau", "Where sources differ";
    ConceptNote => "Khái niệm", "Concept";
    Offline => "Ngoại tuyến", "Offline";
    UpdateReady => "Đã có phiên bản mới.", "A new version is ready.";
    Reload => "Tải lại", "Reload";
    DataAsOf => "Dữ liệu tải lúc", "Data fetched";
    Skip => "Bỏ qua đến nội dung chính", "Skip to main content";
    Generated => "Dữ liệu sinh tự động, có hạt giống cố định", "Generated data, fixed seed";
    Tabs => "Chế độ xem", "Views";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages() {
        for m in Msg::ALL {
            assert!(!t(Lang::Vi, *m).is_empty(), "{m:?} vi");
            assert!(!t(Lang::En, *m).is_empty(), "{m:?} en");
        }
    }

    #[test]
    fn illustrative_label_is_exact() {
        assert_eq!(t(Lang::Vi, Msg::Illustrative), "Dữ liệu minh họa — không phải số liệu chính thức");
        assert_eq!(t(Lang::En, Msg::Illustrative), "Illustrative data — not official statistics");
    }
}
