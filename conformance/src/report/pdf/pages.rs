//! The pages of the form: the summary (header block, counts against the minimums, verdict),
//! the case grid, and what is missing or failing.

use pdf_writer::Content;

use super::layout::*;
use super::style::*;
use crate::report::Report;
use crate::report::helvetica::Face;
use crate::report::model::{Tally, Verdict};
use crate::report::text::{
    header_rows, kind_label, met_label, minimums_label, ordered_tallies, totals, verdict_label,
    verdict_line,
};

/// Lays the three sections out, one page (or more) each.
pub(super) fn layout(report: &Report) -> Vec<Content> {
    let mut layout = Layout::new();
    summary_page(&mut layout, report);
    layout.new_page();
    cases_pages(&mut layout, report);
    layout.new_page();
    missing_pages(&mut layout, report);
    layout.pages()
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

    let (fill, color) = if report.passed() {
        (GREEN_FILL, GREEN_TEXT)
    } else {
        (RED_FILL, RED_TEXT)
    };
    layout.banner(&format!("Result: {}", verdict_line(report)), fill, color);
    layout.gap(8.0);
    layout.paragraph(
        "Success: cases answered with Status 1 as expected. Failure: deliberately invalid \
         requests rejected with the expected error code. Not as expected: steps whose answer \
         missed the expectation (listed on the last page). Skipped: steps not run. APIs \
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
         not as expected, Skipped when none ran. Actual is that of the first failing run.",
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
                Cell::new(case.actual.as_str()),
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
    layout.heading("What is missing / failing", 14.0);
    let failing: Vec<_> = report.failures().collect();
    if report.missing.is_empty() && failing.is_empty() {
        layout.banner(
            "Nothing is missing: every minimum is met and every outcome was as expected.",
            GREEN_FILL,
            GREEN_TEXT,
        );
        return;
    }
    layout.gap(6.0);
    layout.heading(
        &format!(
            "Still needed before the report can be sent ({})",
            report.missing.len()
        ),
        11.0,
    );
    if report.missing.is_empty() {
        layout.paragraph("Nothing: every minimum is met.", Face::Regular, 9.0, BLACK);
    } else {
        let columns = [
            column("#", 0.04, Align::Right, 1),
            column("What is missing", 0.96, Align::Left, 3),
        ];
        let rows: Vec<Row> = report
            .missing
            .iter()
            .enumerate()
            .map(|(i, item)| Row::new(vec![Cell::new((i + 1).to_string()), Cell::new(item)]))
            .collect();
        layout.table(&columns, &rows, true, "Still needed (continued)");
    }
    layout.gap(14.0);

    layout.heading(
        &format!("Outcomes not as expected ({})", failing.len()),
        11.0,
    );
    if failing.is_empty() {
        layout.paragraph("None.", Face::Regular, 9.0, BLACK);
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
                Cell::new(o.actual.as_str()),
                Cell::new(o.reasons.join("\n")).color(RED_TEXT),
            ])
        })
        .collect();
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
}
