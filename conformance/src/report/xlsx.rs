//! NIC's Excel form: the Test Summary Report as a workbook.
//!
//! NIC's template is an Excel file, so this is the form integrators fill in and review:
//!
//! - **Test Summary**: the header block, then one row per API with its counts against the
//!   minimums and whether they are met, a Total row for the counted APIs and the verdict;
//! - **Cases**: the "Key API × Key features" grid, with expected and actual results and a
//!   representative request and response;
//! - **Outcomes**: every step of the run;
//! - **Missing**: what is still needed, when anything is;
//! - **Never seen**: the catalogue cases a journal never showed, when there are any.
//!
//! A rehearsal (a report from the local emulator) carries its mark in a banner row under the
//! title and in the printed page header of every sheet, and its sheet tabs are red; any
//! other report's page header names the company and the target's host.
//!
//! Counts are written as numbers (so the sheet can sum them), failing rows are filled red
//! and every text is cut to Excel's cell limit.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::model::{Case, Exchange, Outcome, REHEARSAL, Tally, Verdict};
use super::text::{
    ELLIPSIS, NEVER_SEEN_NOTE, header_rows, kind_label, met_label, minimums_label, ordered_tallies,
    pretty_json, rehearsal_banner, still_needed, target_host, totals, truncate, verdict_label,
    verdict_line,
};
use super::{Report, ReportError};

/// Excel's limit on the length of a cell, in UTF-16 code units.
const CELL_LIMIT: usize = 32_767;

/// The workbook as XLSX bytes.
pub fn to_bytes(report: &Report) -> Result<Vec<u8>, ReportError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    summary_sheet(workbook.add_worksheet(), report, &formats)?;
    cases_sheet(workbook.add_worksheet(), report, &formats)?;
    outcomes_sheet(workbook.add_worksheet(), report, &formats)?;
    if !report.missing.is_empty() {
        missing_sheet(workbook.add_worksheet(), report, &formats)?;
    }
    if let Some(cases) = report.never_seen.as_deref().filter(|c| !c.is_empty()) {
        never_seen_sheet(workbook.add_worksheet(), cases, &formats)?;
    }
    let header = page_header(report);
    for sheet in workbook.worksheets_mut() {
        sheet.set_header(header.as_str());
        if report.is_rehearsal() {
            sheet.set_tab_color(Color::RGB(RED_TEXT));
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// Writes [`to_bytes`] to `path`.
pub fn write(report: &Report, path: &Path) -> Result<(), ReportError> {
    super::write_file(path, &to_bytes(report)?)
}

const GREEN_FILL: u32 = 0xC6EFCE;
const GREEN_TEXT: u32 = 0x006100;
const RED_FILL: u32 = 0xFFC7CE;
const RED_TEXT: u32 = 0x9C0006;
const RED_ROW: u32 = 0xFDECEC;
const AMBER_FILL: u32 = 0xFFEB9C;
const AMBER_TEXT: u32 = 0x9C5700;
const HEAD_FILL: u32 = 0xD6DCE4;
const LABEL_FILL: u32 = 0xEDEFF2;
const MUTED_TEXT: u32 = 0x666666;

/// Every cell style, built once.
struct Formats {
    title: Format,
    subtitle: Format,
    label: Format,
    value: Format,
    heading: Format,
    head: Format,
    text: Format,
    number: Format,
    muted_text: Format,
    muted_number: Format,
    total_text: Format,
    total_number: Format,
    bad_number: Format,
    failed_text: Format,
    failed_number: Format,
    pass: Format,
    fail: Format,
    skipped: Format,
    verdict_pass: Format,
    verdict_fail: Format,
    verdict_rehearsal: Format,
    banner: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = || {
            Format::new()
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xA0A0A0))
                .set_align(FormatAlign::Top)
        };
        let text = || cell().set_text_wrap();
        let number = || cell().set_num_format("0").set_align(FormatAlign::Right);
        let status = |fill: u32, font: u32| {
            cell()
                .set_bold()
                .set_background_color(Color::RGB(fill))
                .set_font_color(Color::RGB(font))
                .set_align(FormatAlign::Center)
        };
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            subtitle: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(MUTED_TEXT)),
            label: text()
                .set_bold()
                .set_background_color(Color::RGB(LABEL_FILL)),
            value: text(),
            heading: Format::new().set_bold().set_font_size(12),
            head: text()
                .set_bold()
                .set_background_color(Color::RGB(HEAD_FILL))
                .set_align(FormatAlign::VerticalCenter),
            text: text(),
            number: number(),
            muted_text: text().set_font_color(Color::RGB(MUTED_TEXT)),
            muted_number: number().set_font_color(Color::RGB(MUTED_TEXT)),
            total_text: text()
                .set_bold()
                .set_background_color(Color::RGB(LABEL_FILL)),
            total_number: number()
                .set_bold()
                .set_background_color(Color::RGB(LABEL_FILL)),
            bad_number: number().set_bold().set_font_color(Color::RGB(RED_TEXT)),
            failed_text: text().set_background_color(Color::RGB(RED_ROW)),
            failed_number: number().set_background_color(Color::RGB(RED_ROW)),
            pass: status(GREEN_FILL, GREEN_TEXT),
            fail: status(RED_FILL, RED_TEXT),
            skipped: status(AMBER_FILL, AMBER_TEXT),
            verdict_pass: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(GREEN_FILL))
                .set_font_color(Color::RGB(GREEN_TEXT)),
            verdict_fail: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(RED_FILL))
                .set_font_color(Color::RGB(RED_TEXT)),
            verdict_rehearsal: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(AMBER_FILL))
                .set_font_color(Color::RGB(AMBER_TEXT)),
            banner: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Medium)
                .set_border_color(Color::RGB(RED_TEXT))
                .set_background_color(Color::RGB(RED_FILL))
                .set_font_color(Color::RGB(RED_TEXT)),
            note: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::RGB(MUTED_TEXT)),
        }
    }

    fn status(&self, verdict: Verdict) -> &Format {
        match verdict {
            Verdict::Passed => &self.pass,
            Verdict::Failed => &self.fail,
            Verdict::Skipped => &self.skipped,
        }
    }
}

/// The printed page header of every sheet: the rehearsal mark, or the company and the
/// target's host. Excel drops a header of 255 characters or more, so each part is cut.
fn page_header(report: &Report) -> String {
    let escape = |s: &str, max: usize| {
        let one_line: String = truncate(s, max)
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        one_line.replace('&', "&&")
    };
    if report.is_rehearsal() {
        format!("&C&\"-,Bold\"{}", escape(REHEARSAL, 100))
    } else {
        format!(
            "&L{}&R{}",
            escape(&report.header.company, 80),
            escape(&target_host(&report.header), 80)
        )
    }
}

/// `s` cut to fit one Excel cell.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= CELL_LIMIT || s.encode_utf16().count() <= CELL_LIMIT {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut out = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > CELL_LIMIT - 1 {
            break;
        }
        out.push(c);
    }
    out.push(ELLIPSIS);
    std::borrow::Cow::Owned(out)
}

fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, cell(s).as_ref(), f)?;
    Ok(())
}

fn number(ws: &mut Worksheet, row: u32, col: u16, n: u32, f: &Format) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, col, f64::from(n), f)?;
    Ok(())
}

/// A minimum, or a blank cell for an uncounted API.
fn minimum(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    n: Option<u32>,
    f: &Format,
) -> Result<(), XlsxError> {
    match n {
        Some(n) => number(ws, row, col, n, f),
        None => {
            ws.write_blank(row, col, f)?;
            Ok(())
        }
    }
}

/// A row height fitting `chars` characters wrapped at `width` characters per line.
fn height_for(chars: usize, width: usize, max_lines: usize) -> f64 {
    let lines = chars.div_ceil(width.max(1)).clamp(1, max_lines);
    15.0 * lines as f64
}

/// The per-API table's last column.
const SUMMARY_LAST_COL: u16 = 7;

fn summary_sheet(ws: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Test Summary")?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 32)?;
    for col in 1..SUMMARY_LAST_COL {
        ws.set_column_width(col, 13)?;
    }
    ws.set_column_width(SUMMARY_LAST_COL, 14)?;

    ws.merge_range(
        0,
        0,
        0,
        SUMMARY_LAST_COL,
        "E-Invoice API Test Summary Report",
        &f.title,
    )?;
    ws.set_row_height(0, 24)?;
    ws.merge_range(
        1,
        0,
        1,
        SUMMARY_LAST_COL,
        minimums_label(report),
        &f.subtitle,
    )?;
    ws.set_freeze_panes(1, 0)?;

    let mut row = 3;
    if let Some(banner) = rehearsal_banner(report) {
        ws.merge_range(row, 0, row, SUMMARY_LAST_COL, &banner, &f.banner)?;
        ws.set_row_height(row, height_for(banner.chars().count(), 110, 4).max(30.0))?;
        row += 2;
    }
    for (label, value) in header_rows(&report.header) {
        text(ws, row, 0, label, &f.label)?;
        ws.merge_range(
            row,
            1,
            row,
            SUMMARY_LAST_COL,
            cell(&value).as_ref(),
            &f.value,
        )?;
        ws.set_row_height(row, height_for(value.chars().count(), 90, 6))?;
        row += 1;
    }

    row += 1;
    text(
        ws,
        row,
        0,
        "Per-API counts against the minimums",
        &f.heading,
    )?;
    row += 1;
    let heads = [
        "API",
        "Min. success",
        "Success",
        "Min. failure",
        "Failure",
        "Not as expected",
        "Skipped",
        "Met",
    ];
    for (col, head) in (0..).zip(heads) {
        text(ws, row, col, head, &f.head)?;
    }
    ws.set_row_height(row, 30)?;
    row += 1;
    for tally in ordered_tallies(report) {
        tally_row(ws, row, tally, f)?;
        row += 1;
    }
    let total = totals(report);
    text(ws, row, 0, "Total (counted APIs)", &f.total_text)?;
    for (col, n) in (1..).zip([
        total.min_success,
        total.success,
        total.min_failure,
        total.failure,
        total.failed,
        total.skipped,
    ]) {
        number(ws, row, col, n, &f.total_number)?;
    }
    let (met, met_format) = if total.met {
        ("Yes", &f.pass)
    } else {
        ("No", &f.fail)
    };
    text(ws, row, SUMMARY_LAST_COL, met, met_format)?;
    row += 2;

    let verdict = format!("Result: {}", verdict_line(report));
    let format = match (report.is_rehearsal(), report.passed()) {
        (true, _) => &f.verdict_rehearsal,
        (false, true) => &f.verdict_pass,
        (false, false) => &f.verdict_fail,
    };
    ws.merge_range(row, 0, row, SUMMARY_LAST_COL, &verdict, format)?;
    ws.set_row_height(
        row,
        (height_for(verdict.chars().count(), 100, 4) * 1.2).max(32.0),
    )?;
    row += 2;
    ws.merge_range(
        row,
        0,
        row,
        SUMMARY_LAST_COL,
        "Success: cases answered with Status 1 as expected. Failure: deliberately invalid \
         requests rejected with the expected error code. Not as expected: steps whose answer \
         missed the expectation (see the Outcomes sheet). Skipped: steps not run. APIs marked \
         \"not counted\" were run but have no minimum.",
        &f.note,
    )?;
    ws.set_row_height(row, 45)?;
    if let Some(cases) = &report.never_seen {
        row += 2;
        let line = format!(
            "Catalogue cases never seen: {}{}",
            cases.len(),
            if cases.is_empty() {
                ""
            } else {
                " (sheet Never seen)"
            }
        );
        ws.merge_range(row, 0, row, SUMMARY_LAST_COL, &line, &f.heading)?;
    }
    Ok(())
}

fn tally_row(ws: &mut Worksheet, row: u32, tally: &Tally, f: &Formats) -> Result<(), XlsxError> {
    let (t, n) = if tally.counted() {
        (&f.text, &f.number)
    } else {
        (&f.muted_text, &f.muted_number)
    };
    text(ws, row, 0, tally.api.title(), t)?;
    minimum(ws, row, 1, tally.min_success, n)?;
    number(ws, row, 2, tally.success, n)?;
    minimum(ws, row, 3, tally.min_failure, n)?;
    number(ws, row, 4, tally.failure, n)?;
    let failed = if tally.failed > 0 { &f.bad_number } else { n };
    number(ws, row, 5, tally.failed, failed)?;
    number(ws, row, 6, tally.skipped, n)?;
    let met = match (tally.counted(), tally.met()) {
        (false, _) => t,
        (true, true) => &f.pass,
        (true, false) => &f.fail,
    };
    text(ws, row, SUMMARY_LAST_COL, met_label(tally), met)
}

fn cases_sheet(ws: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Cases")?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let columns: [(&str, f64); 11] = [
        ("API", 24.0),
        ("Case", 9.0),
        ("Feature", 34.0),
        ("Kind", 10.0),
        ("Expected", 30.0),
        ("Actual", 30.0),
        ("Runs", 7.0),
        ("Passed", 8.0),
        ("Status", 9.0),
        ("Request", 60.0),
        ("Response", 60.0),
    ];
    for (col, (head, width)) in (0..).zip(columns) {
        ws.set_column_width(col, width)?;
        text(ws, 0, col, head, &f.head)?;
    }
    ws.set_freeze_panes(1, 2)?;
    let mut row = 1;
    for case in &report.cases {
        case_row(ws, row, case, f)?;
        row += 1;
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 10)?;
    Ok(())
}

fn case_row(ws: &mut Worksheet, row: u32, case: &Case, f: &Formats) -> Result<(), XlsxError> {
    let verdict = case.verdict();
    let (t, n) = if verdict == Verdict::Failed {
        (&f.failed_text, &f.failed_number)
    } else {
        (&f.text, &f.number)
    };
    text(ws, row, 0, case.api.title(), t)?;
    text(ws, row, 1, &case.id, t)?;
    text(ws, row, 2, &case.feature, t)?;
    text(ws, row, 3, kind_label(case.kind), t)?;
    text(ws, row, 4, &case.expected, t)?;
    text(ws, row, 5, &case.actual, t)?;
    number(ws, row, 6, case.runs, n)?;
    number(ws, row, 7, case.passed, n)?;
    text(ws, row, 8, verdict_label(verdict), f.status(verdict))?;
    let (request, response) = case
        .representative
        .as_ref()
        .map(exchange_text)
        .unwrap_or_default();
    text(ws, row, 9, &request, t)?;
    text(ws, row, 10, &response, t)?;
    // The exchanges would make rows hundreds of lines high: show a few, the cell holds all.
    let longest = [
        case.feature.chars().count() * 30 / 34,
        case.expected.chars().count(),
        case.actual.chars().count(),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    ws.set_row_height(row, height_for(longest, 30, 8).max(45.0))?;
    Ok(())
}

/// The request (after its `METHOD path`) and the response, pretty-printed.
fn exchange_text(exchange: &Exchange) -> (String, String) {
    let request = if exchange.call.is_empty() {
        pretty_json(&exchange.request).into_owned()
    } else {
        format!("{}\n{}", exchange.call, pretty_json(&exchange.request))
    };
    (request, pretty_json(&exchange.response).into_owned())
}

fn outcomes_sheet(ws: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Outcomes")?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let columns: [(&str, f64); 10] = [
        ("Scenario", 24.0),
        ("Step", 22.0),
        ("API", 24.0),
        ("Case", 9.0),
        ("Kind", 10.0),
        ("Expected", 30.0),
        ("Actual", 30.0),
        ("Verdict", 9.0),
        ("Reasons", 50.0),
        ("ms", 8.0),
    ];
    for (col, (head, width)) in (0..).zip(columns) {
        ws.set_column_width(col, width)?;
        text(ws, 0, col, head, &f.head)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut row = 1;
    for outcome in &report.outcomes {
        outcome_row(ws, row, outcome, f)?;
        row += 1;
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 9)?;
    Ok(())
}

fn outcome_row(
    ws: &mut Worksheet,
    row: u32,
    outcome: &Outcome,
    f: &Formats,
) -> Result<(), XlsxError> {
    let (t, n) = if outcome.verdict == Verdict::Failed {
        (&f.failed_text, &f.failed_number)
    } else {
        (&f.text, &f.number)
    };
    text(ws, row, 0, &outcome.scenario, t)?;
    text(ws, row, 1, &outcome.step, t)?;
    text(ws, row, 2, outcome.api.map(|a| a.title()).unwrap_or(""), t)?;
    text(ws, row, 3, outcome.case.as_deref().unwrap_or(""), t)?;
    text(ws, row, 4, kind_label(outcome.kind), t)?;
    text(ws, row, 5, &outcome.expected, t)?;
    text(ws, row, 6, &outcome.actual, t)?;
    text(
        ws,
        row,
        7,
        verdict_label(outcome.verdict),
        f.status(outcome.verdict),
    )?;
    text(ws, row, 8, &outcome.reasons.join("; "), t)?;
    // Milliseconds past 2^53 lose precision in Excel; no run takes that long.
    ws.write_number_with_format(row, 9, outcome.millis as f64, n)?;
    Ok(())
}

fn missing_sheet(ws: &mut Worksheet, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Missing")?;
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 120)?;
    text(ws, 0, 0, "#", &f.head)?;
    text(ws, 0, 1, still_needed(report), &f.head)?;
    ws.set_freeze_panes(1, 0)?;
    for (row, item) in (1..).zip(&report.missing) {
        number(ws, row, 0, row, &f.number)?;
        text(ws, row, 1, item, &f.failed_text)?;
    }
    Ok(())
}

fn never_seen_sheet(ws: &mut Worksheet, cases: &[String], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Never seen")?;
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 120)?;
    ws.merge_range(0, 0, 0, 1, NEVER_SEEN_NOTE, &f.note)?;
    ws.set_row_height(0, 30)?;
    text(ws, 1, 0, "#", &f.head)?;
    text(ws, 1, 1, "Catalogue case never seen", &f.head)?;
    ws.set_freeze_panes(2, 0)?;
    for (n, case) in (1..).zip(cases) {
        number(ws, n + 1, 0, n, &f.number)?;
        text(ws, n + 1, 1, case, &f.text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_fit_excel_s_limit_in_utf16_units() {
        let short = "abc";
        assert_eq!(cell(short), "abc");
        let long = "😀".repeat(20_000);
        let cut = cell(&long);
        assert!(cut.encode_utf16().count() <= CELL_LIMIT);
        assert!(cut.ends_with(ELLIPSIS));
        let exact = "x".repeat(CELL_LIMIT);
        assert_eq!(cell(&exact).len(), CELL_LIMIT);
    }
}
