//! The pages of the form: the summary (header block, rehearsal banner, counts against the
//! minimums, verdict), the case grid, what is missing or failing, and in journal mode the
//! catalogue cases never seen.

use pdf_writer::Content;

use super::layout::*;
use super::style::*;
use crate::report::Report;
use crate::report::helvetica::Face;
use crate::report::model::{Tally, Verdict};
use crate::report::text::{
    NEVER_SEEN_NOTE, header_rows, kind_label, met_label, minimums_label, nothing_missing,
    ordered_tallies, rehearsal_banner, still_needed, totals, verdict_label, verdict_line,
};

/// Least height of content on a last page that only continues the page before it: a
/// shorter tail (a footer and a line or two) is pulled up by moving content down to it.
const MIN_TAIL: f32 = 110.0;
/// Most a page may be shortened to give the last page its tail.
const MAX_RAISE: f32 = (PAGE_HEIGHT - MARGIN - BOTTOM) / 2.0;
/// Layouts tried before the last one is kept as it is.
const TRIES: usize = 6;

/// Lays the sections out: the summary on the first page, then the case grid on a new page,
/// followed by what is missing or failing (on the same page when its heading and first
/// rows fit). When the last page would hold only a line or two continued from the page
/// before, that page is ended higher so the last one gets a real share.
pub(super) fn layout(report: &Report) -> Vec<Content> {
    let mut raise: Option<(usize, f32)> = None;
    for _ in 1..TRIES {
        let mut layout = Layout::new(raise);
        sections(&mut layout, report);
        let count = layout.page_count();
        let used = layout.used();
        if count < 2 || layout.began_by_choice() || used >= MIN_TAIL {
            return layout.pages();
        }
        let penultimate = count - 2;
        let already = match raise {
            Some((page, points)) if page == penultimate => points,
            _ => 0.0,
        };
        let more = already + (MIN_TAIL - used);
        if more > MAX_RAISE {
            return layout.pages();
        }
        raise = Some((penultimate, more));
    }
    let mut layout = Layout::new(raise);
    sections(&mut layout, report);
    layout.pages()
}

fn sections(layout: &mut Layout, report: &Report) {
    summary_page(layout, report);
    layout.new_page();
    cases_pages(layout, report);
    layout.gap(18.0);
    missing_pages(layout, report);
}

pub(super) fn summary_page(layout: &mut Layout, report: &Report) {
    let header = &report.header;
    layout.paragraph("E-Invoice API Test Summary Report", Face::Bold, 18.0, BLACK);
    layout.gap(2.0);
    let mut subtitle = vec![minimums_label(report).to_owned()];
    if !header.generated_at.is_empty() {
        subtitle.push(format!("generated {}", header.generated_at));
    }
    layout.paragraph(&subtitle.join("  ·  "), Face::Regular, 9.0, MUTED);
    layout.gap(8.0);
    if let Some(banner) = rehearsal_banner(report) {
        layout.banner(&banner, RED_FILL, RED_TEXT);
        layout.gap(8.0);
    }

    let pairs = header_rows(header);
    let columns = [
        column("", 0.13, Align::Left, 3),
        column("", 0.37, Align::Left, 3),
        column("", 0.13, Align::Left, 3),
        column("", 0.37, Align::Left, 3),
    ];
    let rows: Vec<Row> = pairs
        .chunks(2)
        .map(|pair| {
            let mut cells = Vec::new();
            for (label, value) in pair {
                cells.push(Cell::new(*label).bold().fill(LABEL_FILL));
                cells.push(Cell::new(value.as_str()));
            }
            while cells.len() < 4 {
                cells.push(Cell::new(""));
            }
            Row::new(cells)
        })
        .collect();
    layout.table(&columns, &rows, false, "");
    layout.gap(14.0);

    layout.heading(
        &format!(
            "Per-API counts against the minimums ({})",
            minimums_label(report)
        ),
        12.0,
    );
    let columns = [
        column("API", 0.28, Align::Left, 2),
        column("Min. success", 0.09, Align::Right, 2),
        column("Success", 0.09, Align::Right, 2),
        column("Min. failure", 0.09, Align::Right, 2),
        column("Failure", 0.09, Align::Right, 2),
        column("Not as expected", 0.11, Align::Right, 2),
        column("Skipped", 0.09, Align::Right, 2),
        column("Met", 0.16, Align::Center, 2),
    ];
    let mut rows: Vec<Row> = ordered_tallies(report).into_iter().map(tally_row).collect();
    let total = totals(report);
    let met = if total.met { "Yes" } else { "No" };
    rows.push(
        Row::new(vec![
            Cell::new("Total (counted APIs)").bold(),
            Cell::new(total.min_success.to_string()).bold(),
            Cell::new(total.success.to_string()).bold(),
            Cell::new(total.min_failure.to_string()).bold(),
            Cell::new(total.failure.to_string()).bold(),
            Cell::new(total.failed.to_string()).bold(),
            Cell::new(total.skipped.to_string()).bold(),
            Cell::status(met, pass_fail(total.met)),
        ])
        .fill(LABEL_FILL),
    );
    layout.table(&columns, &rows, true, "Per-API counts (continued)");
    layout.gap(12.0);

    let (fill, color) = match (report.is_rehearsal(), report.passed()) {
        (true, _) => (AMBER_FILL, AMBER_TEXT),
        (false, true) => (GREEN_FILL, GREEN_TEXT),
        (false, false) => (RED_FILL, RED_TEXT),
    };
    layout.banner(&format!("Result: {}", verdict_line(report)), fill, color);
    layout.gap(8.0);
    layout.paragraph(
        "Success: cases answered with Status 1 as expected. Failure: deliberately invalid \
         requests rejected with the expected error code. Not as expected: steps whose answer \
         missed the expectation (listed after the case grid). Skipped: steps not run. APIs \
         marked \"not counted\" were run but have no minimum.",
        Face::Regular,
        8.0,
        MUTED,
    );
}

pub(super) fn tally_row(tally: &Tally) -> Row {
    let min = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
    let color = if tally.counted() { BLACK } else { MUTED };
    let failed = if tally.failed > 0 {
        Cell::new(tally.failed.to_string()).bold().color(RED_TEXT)
    } else {
        Cell::new("0").color(color)
    };
    let met = if tally.counted() {
        Cell::status(met_label(tally), pass_fail(tally.met()))
    } else {
        Cell::new(met_label(tally)).color(MUTED)
    };
    Row::new(vec![
        Cell::new(tally.api.title()).color(color),
        Cell::new(min(tally.min_success)).color(color),
        Cell::new(tally.success.to_string()).color(color),
        Cell::new(min(tally.min_failure)).color(color),
        Cell::new(tally.failure.to_string()).color(color),
        failed,
        Cell::new(tally.skipped.to_string()).color(color),
        met,
    ])
}

pub(super) fn pass_fail(ok: bool) -> Verdict {
    if ok { Verdict::Passed } else { Verdict::Failed }
}

pub(super) fn cases_pages(layout: &mut Layout, report: &Report) {
    layout.heading("Key API × Key features: the case grid", 14.0);
    layout.paragraph(
        "One row per case id. Passed/runs counts its outcomes; Status is Fail when any run was \
         not as expected, Skipped when none ran. Actual is that of the first failing run, each \
         error on its own line and cut with \"…\" after two.",
        Face::Regular,
        8.0,
        MUTED,
    );
    layout.gap(6.0);
    if report.cases.is_empty() {
        layout.paragraph("No case ran.", Face::Regular, 10.0, BLACK);
        return;
    }
    let columns = [
        column("API", 0.16, Align::Left, 3),
        column("Case", 0.06, Align::Left, 2),
        column("Feature", 0.19, Align::Left, 4),
        column("Kind", 0.07, Align::Left, 1),
        column("Expected", 0.185, Align::Left, 4),
        column("Actual", 0.185, Align::Left, 4),
        column("Passed / runs", 0.07, Align::Center, 2),
        column("Status", 0.08, Align::Center, 1),
    ];
    let rows: Vec<Row> = report
        .cases
        .iter()
        .map(|case| {
            let verdict = case.verdict();
            let row = Row::new(vec![
                Cell::new(case.api.title()),
                Cell::new(case.id.as_str()).bold(),
                Cell::new(case.feature.as_str()),
                Cell::new(kind_label(case.kind)),
                Cell::new(case.expected.as_str()),
                Cell::messages(actual_lines(&case.actual), MESSAGE_LINES),
                Cell::new(format!("{} / {}", case.passed, case.runs)),
                Cell::status(verdict_label(verdict), verdict),
            ]);
            if verdict == Verdict::Failed {
                row.fill(RED_ROW)
            } else {
                row
            }
        })
        .collect();
    layout.table(&columns, &rows, true, "Key API × Key features (continued)");
}

pub(super) fn missing_pages(layout: &mut Layout, report: &Report) {
    const TITLE: &str = "What is missing / failing";
    let failing: Vec<_> = report.failures().collect();
    if report.missing.is_empty() && failing.is_empty() {
        let text = if report.is_rehearsal() {
            nothing_missing(report).to_owned()
        } else {
            "Nothing is missing: every minimum is met and every outcome was as expected.".to_owned()
        };
        let (fill, color) = if report.is_rehearsal() {
            (AMBER_FILL, AMBER_TEXT)
        } else {
            (GREEN_FILL, GREEN_TEXT)
        };
        layout.heading_with(TITLE, 14.0, banner_height(&text));
        layout.banner(&text, fill, color);
        never_seen_pages(layout, report);
        return;
    }
    let still = format!("{} ({})", still_needed(report), report.missing.len());
    let missing_columns = [
        column("#", 0.04, Align::Right, 1),
        column("What is missing", 0.96, Align::Left, 3),
    ];
    let missing_rows: Vec<Row> = report
        .missing
        .iter()
        .enumerate()
        .map(|(i, item)| Row::new(vec![Cell::new((i + 1).to_string()), Cell::new(item)]))
        .collect();
    let first_rows = if missing_rows.is_empty() {
        9.0 * LEADING
    } else {
        table_start(&missing_columns, &missing_rows, true, KEEP_ROWS)
    };
    layout.heading_with(TITLE, 14.0, 6.0 + heading_height(&still, 11.0) + first_rows);
    layout.gap(6.0);
    layout.heading_with(&still, 11.0, first_rows);
    if report.missing.is_empty() {
        layout.paragraph(nothing_missing(report), Face::Regular, 9.0, BLACK);
    } else {
        layout.table(
            &missing_columns,
            &missing_rows,
            true,
            "Still needed (continued)",
        );
    }
    layout.gap(14.0);

    let title = format!("Outcomes not as expected ({})", failing.len());
    if failing.is_empty() {
        layout.heading_with(&title, 11.0, 9.0 * LEADING);
        layout.paragraph("None.", Face::Regular, 9.0, BLACK);
        never_seen_pages(layout, report);
        return;
    }
    let columns = [
        column("Scenario", 0.12, Align::Left, 3),
        column("Step", 0.11, Align::Left, 3),
        column("API", 0.11, Align::Left, 3),
        column("Case", 0.06, Align::Left, 2),
        column("Kind", 0.06, Align::Left, 1),
        column("Expected", 0.14, Align::Left, 5),
        column("Actual", 0.14, Align::Left, 5),
        column("Reasons", 0.26, Align::Left, 8),
    ];
    let rows: Vec<Row> = failing
        .iter()
        .take(MAX_FAILING_ROWS)
        .map(|o| {
            Row::new(vec![
                Cell::new(o.scenario.as_str()),
                Cell::new(o.step.as_str()),
                Cell::new(o.api.map(|a| a.title()).unwrap_or("-")),
                Cell::new(o.case.as_deref().unwrap_or("-")).bold(),
                Cell::new(kind_label(o.kind)),
                Cell::new(o.expected.as_str()),
                Cell::messages(actual_lines(&o.actual), MESSAGE_LINES),
                Cell::messages(o.reasons.join("\n"), MESSAGE_LINES).color(RED_TEXT),
            ])
        })
        .collect();
    layout.heading_with(&title, 11.0, table_start(&columns, &rows, true, KEEP_ROWS));
    layout.table(
        &columns,
        &rows,
        true,
        "Outcomes not as expected (continued)",
    );
    if failing.len() > MAX_FAILING_ROWS {
        layout.gap(6.0);
        layout.paragraph(
            &format!(
                "… and {} more; every outcome is in the XLSX and JSON reports.",
                failing.len() - MAX_FAILING_ROWS
            ),
            Face::Regular,
            9.0,
            MUTED,
        );
    }
    never_seen_pages(layout, report);
}

/// Journal mode: the catalogue cases no call showed.
fn never_seen_pages(layout: &mut Layout, report: &Report) {
    let Some(cases) = &report.never_seen else {
        return;
    };
    layout.gap(14.0);
    let title = format!("Catalogue cases never seen ({})", cases.len());
    let columns = [
        column("#", 0.04, Align::Right, 1),
        column("Case", 0.96, Align::Left, 2),
    ];
    let rows: Vec<Row> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| Row::new(vec![Cell::new((i + 1).to_string()), Cell::new(case)]))
        .collect();
    let note_height = 4.0 * 8.0 * LEADING;
    layout.heading_with(
        &title,
        11.0,
        note_height + table_start(&columns, &rows, true, KEEP_ROWS),
    );
    layout.paragraph(NEVER_SEEN_NOTE, Face::Regular, 8.0, MUTED);
    layout.gap(4.0);
    if rows.is_empty() {
        layout.paragraph(
            "None: the journal shows every case a client reaches.",
            Face::Regular,
            9.0,
            BLACK,
        );
    } else {
        layout.table(
            &columns,
            &rows,
            true,
            "Catalogue cases never seen (continued)",
        );
    }
}

/// Lines one message (an error of Actual, a reason) may take in a cell before "…".
const MESSAGE_LINES: usize = 2;

/// Rows a heading keeps with it.
const KEEP_ROWS: usize = 3;

/// An Actual text (`Status 0: 2150 Duplicate IRN; 2172 …`) as one paragraph per error, so
/// each error's own message shows, cut to the cell, however long the one before it.
pub(super) fn actual_lines(actual: &str) -> String {
    actual.replace("; ", "\n")
}
