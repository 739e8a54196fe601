//! The PDF form NIC asks integrators to mail with their request for production access.
//!
//! NIC wants the filled-in template back as a PDF, so this writer lays the report out as a
//! printed form, one section per page (continuing onto more pages when long):
//!
//! 1. the header block, the per-API counts against the minimums and the overall verdict;
//! 2. the "Key API × Key features" case grid with expected and actual results;
//! 3. what is missing or failing, with reasons.
//!
//! Pages are A4 landscape. Text uses the standard Helvetica faces, which every PDF reader
//! carries, so no font is embedded (characters outside their WinAnsi set are spelled with
//! ones inside, `₹` as `Rs.`); cells wrap their text and cut it with "…" after a few lines,
//! so nothing overflows a cell. `pdf-writer` only serialises objects: the layout below is
//! ours, small and deterministic (the same report gives the same bytes).

use std::io::Write as _;
use std::path::Path;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::helvetica::{self, ELLIPSIS, Face};
use super::model::{Tally, Verdict};
use super::text::{
    self, header_rows, kind_label, met_label, minimums_label, ordered_tallies, totals,
    verdict_label, verdict_line,
};
use super::{Report, ReportError};

/// A4 landscape, in points.
const PAGE_WIDTH: f32 = 841.89;
const PAGE_HEIGHT: f32 = 595.28;
const MARGIN: f32 = 36.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Lowest point content may reach; the footer sits below it.
const BOTTOM: f32 = 46.0;
const FOOTER_BASELINE: f32 = 24.0;
/// Font size of table text.
const TABLE_SIZE: f32 = 8.0;
/// Cell padding.
const PAD: f32 = 3.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.2;
/// Distance from the top of a line box to its baseline, as a multiple of the font size.
const BASELINE: f32 = 0.88;
/// Characters of one cell considered at all; a cell shows a few lines of them.
const MAX_CELL_CHARS: usize = 2_000;
/// Rows of the failing-outcomes table; the rest are counted, not listed.
const MAX_FAILING_ROWS: usize = 500;

/// The report as PDF bytes.
pub fn to_bytes(report: &Report) -> Result<Vec<u8>, ReportError> {
    let pages = layout(report);
    assemble(report, pages)
}

/// Writes [`to_bytes`] to `path`.
pub fn write(report: &Report, path: &Path) -> Result<(), ReportError> {
    super::write_file(path, &to_bytes(report)?)
}

/// A colour.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f32, f32, f32);

const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
const MUTED: Rgb = Rgb(0.4, 0.4, 0.4);
const BORDER: Rgb = Rgb(0.6, 0.6, 0.6);
const HEAD_FILL: Rgb = Rgb(0.84, 0.86, 0.89);
const LABEL_FILL: Rgb = Rgb(0.93, 0.94, 0.95);
const GREEN_FILL: Rgb = Rgb(0.78, 0.94, 0.81);
const GREEN_TEXT: Rgb = Rgb(0.0, 0.38, 0.0);
const RED_FILL: Rgb = Rgb(1.0, 0.78, 0.81);
const RED_TEXT: Rgb = Rgb(0.61, 0.0, 0.02);
const RED_ROW: Rgb = Rgb(1.0, 0.93, 0.93);
const AMBER_FILL: Rgb = Rgb(1.0, 0.92, 0.61);
const AMBER_TEXT: Rgb = Rgb(0.5, 0.3, 0.0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
    Center,
}

/// A table column: its title, share of the content width, alignment and most lines a cell
/// may take before it is cut.
struct Column {
    title: &'static str,
    share: f32,
    align: Align,
    max_lines: usize,
}

const fn column(title: &'static str, share: f32, align: Align, max_lines: usize) -> Column {
    Column {
        title,
        share,
        align,
        max_lines,
    }
}

/// One table cell.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    bold: bool,
    fill: Option<Rgb>,
    color: Rgb,
}

impl Cell {
    fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            bold: false,
            fill: None,
            color: BLACK,
        }
    }

    fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    fn fill(mut self, fill: Rgb) -> Self {
        self.fill = Some(fill);
        self
    }

    fn color(mut self, color: Rgb) -> Self {
        self.color = color;
        self
    }

    /// A Pass / Fail / Skipped (or Yes / No) cell, coloured.
    fn status(text: &str, verdict: Verdict) -> Self {
        let (fill, color) = match verdict {
            Verdict::Passed => (GREEN_FILL, GREEN_TEXT),
            Verdict::Failed => (RED_FILL, RED_TEXT),
            Verdict::Skipped => (AMBER_FILL, AMBER_TEXT),
        };
        Cell::new(text).bold().fill(fill).color(color)
    }
}

/// One table row: its cells and an optional fill behind the whole row.
#[derive(Debug, Clone)]
struct Row {
    cells: Vec<Cell>,
    fill: Option<Rgb>,
}

impl Row {
    fn new(cells: Vec<Cell>) -> Self {
        Row { cells, fill: None }
    }

    fn fill(mut self, fill: Rgb) -> Self {
        self.fill = Some(fill);
        self
    }
}

/// Pages being filled top to bottom.
struct Layout {
    done: Vec<Content>,
    page: Content,
    /// Top of the free space on the current page.
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Layout {
            done: Vec::new(),
            page: Content::new(),
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    fn new_page(&mut self) {
        let page = std::mem::replace(&mut self.page, Content::new());
        self.done.push(page);
        self.y = PAGE_HEIGHT - MARGIN;
    }

    fn pages(mut self) -> Vec<Content> {
        self.done.push(self.page);
        self.done
    }

    fn room(&self) -> f32 {
        self.y - BOTTOM
    }

    fn gap(&mut self, height: f32) {
        self.y = (self.y - height).max(BOTTOM);
    }

    fn show(&mut self, x: f32, baseline: f32, face: Face, size: f32, color: Rgb, bytes: &[u8]) {
        let Rgb(r, g, b) = color;
        self.page
            .set_fill_rgb(r, g, b)
            .begin_text()
            .set_font(Name(face.resource()), size)
            .next_line(x, baseline)
            .show(Str(bytes))
            .end_text();
    }

    fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32, color: Rgb) {
        let Rgb(r, g, b) = color;
        self.page
            .set_fill_rgb(r, g, b)
            .rect(x, top - height, width, height)
            .fill_nonzero();
    }

    /// Wrapped text across the content width, breaking pages as needed.
    fn paragraph(&mut self, text: &str, face: Face, size: f32, color: Rgb) {
        let leading = size * LEADING;
        for line in wrap(text, face, size, CONTENT_WIDTH, 40) {
            if self.room() < leading {
                self.new_page();
            }
            let baseline = self.y - size * BASELINE;
            self.show(MARGIN, baseline, face, size, color, &line);
            self.y -= leading;
        }
    }

    /// A section title, moved to a new page when too little room is left below it.
    fn heading(&mut self, text: &str, size: f32) {
        if self.room() < size * LEADING + 60.0 {
            self.new_page();
        }
        self.paragraph(text, Face::Bold, size, BLACK);
        self.gap(4.0);
    }

    /// A coloured box holding one bold statement.
    fn banner(&mut self, text: &str, fill: Rgb, color: Rgb) {
        let size = 11.0;
        let lines = wrap(text, Face::Bold, size, CONTENT_WIDTH - 4.0 * PAD, 4);
        let height = lines.len() as f32 * size * LEADING + 4.0 * PAD;
        if self.room() < height {
            self.new_page();
        }
        let top = self.y;
        self.fill_rect(MARGIN, top, CONTENT_WIDTH, height, fill);
        for (i, line) in lines.iter().enumerate() {
            let baseline = top - 2.0 * PAD - size * BASELINE - i as f32 * size * LEADING;
            self.show(MARGIN + 2.0 * PAD, baseline, Face::Bold, size, color, line);
        }
        self.y -= height;
    }

    /// A table; the header row (if `header`) is repeated on every page it spans, after
    /// `continued` as a title.
    fn table(&mut self, columns: &[Column], rows: &[Row], header: bool, continued: &str) {
        let widths: Vec<f32> = columns.iter().map(|c| c.share * CONTENT_WIDTH).collect();
        let head =
            Row::new(columns.iter().map(|c| Cell::new(c.title).bold()).collect()).fill(HEAD_FILL);
        let head = header.then(|| lay_out_row(&head, columns, &widths));
        let head_height = head.as_ref().map_or(0.0, |h| h.height);
        let mut first = true;
        for row in rows {
            let laid = lay_out_row(row, columns, &widths);
            if laid.height + if first { head_height } else { 0.0 } > self.room() {
                self.new_page();
                if !first && !continued.is_empty() {
                    self.paragraph(continued, Face::Bold, 10.0, BLACK);
                    self.gap(4.0);
                }
                first = true;
            }
            if first {
                if let Some(head) = &head {
                    self.draw_row(head, columns, &widths);
                }
                first = false;
            }
            self.draw_row(&laid, columns, &widths);
        }
    }

    fn draw_row(&mut self, row: &LaidRow<'_>, columns: &[Column], widths: &[f32]) {
        let top = self.y;
        let height = row.height;
        if let Some(fill) = row.row.fill {
            self.fill_rect(MARGIN, top, CONTENT_WIDTH, height, fill);
        }
        let mut x = MARGIN;
        for (cell, width) in row.row.cells.iter().zip(widths) {
            if let Some(fill) = cell.fill {
                self.fill_rect(x, top, *width, height, fill);
            }
            x += width;
        }
        let Rgb(r, g, b) = BORDER;
        self.page.set_stroke_rgb(r, g, b).set_line_width(0.5);
        let mut x = MARGIN;
        for width in widths {
            self.page.rect(x, top - height, *width, height);
            x += width;
        }
        self.page.stroke();
        let mut x = MARGIN;
        for (((cell, lines), column), width) in row
            .row
            .cells
            .iter()
            .zip(&row.lines)
            .zip(columns)
            .zip(widths)
        {
            let face = if cell.bold { Face::Bold } else { Face::Regular };
            for (i, line) in lines.iter().enumerate() {
                let line_width = face.text_width(line, TABLE_SIZE);
                let left = match column.align {
                    Align::Left => x + PAD,
                    Align::Right => x + width - PAD - line_width,
                    Align::Center => x + (width - line_width) / 2.0,
                };
                let baseline = top - PAD - TABLE_SIZE * BASELINE - i as f32 * TABLE_SIZE * LEADING;
                self.show(left, baseline, face, TABLE_SIZE, cell.color, line);
            }
            x += width;
        }
        self.y -= height;
    }
}

/// A row with its cells wrapped to their columns.
struct LaidRow<'a> {
    row: &'a Row,
    lines: Vec<Vec<Vec<u8>>>,
    height: f32,
}

fn lay_out_row<'a>(row: &'a Row, columns: &[Column], widths: &[f32]) -> LaidRow<'a> {
    let lines: Vec<Vec<Vec<u8>>> = row
        .cells
        .iter()
        .zip(columns.iter().zip(widths))
        .map(|(cell, (column, width))| {
            let face = if cell.bold { Face::Bold } else { Face::Regular };
            wrap(
                &cell.text,
                face,
                TABLE_SIZE,
                width - 2.0 * PAD,
                column.max_lines,
            )
        })
        .collect();
    let most = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    LaidRow {
        row,
        lines,
        height: most as f32 * TABLE_SIZE * LEADING + 2.0 * PAD,
    }
}

/// `text` in WinAnsi, broken into lines no wider than `width`: at spaces where possible,
/// inside a word when it alone is too wide, at most `max_lines` lines (the last then ends
/// with "…"). Always at least one (possibly empty) line.
fn wrap(text: &str, face: Face, size: f32, width: f32, max_lines: usize) -> Vec<Vec<u8>> {
    let text = text::truncate(text, MAX_CELL_CHARS);
    let space = face.width(b' ', size);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_width = 0.0;
        for word in paragraph.split(' ') {
            let word = helvetica::encode(word);
            let word_width = face.text_width(&word, size);
            let joined = if line.is_empty() {
                word_width
            } else {
                line_width + space + word_width
            };
            if joined <= width {
                if !line.is_empty() {
                    line.push(b' ');
                }
                line.extend_from_slice(&word);
                line_width = joined;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_width = 0.0;
            for byte in word {
                let byte_width = face.width(byte, size);
                if line_width + byte_width > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(byte);
                line_width += byte_width;
            }
        }
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let ellipsis = face.width(ELLIPSIS, size);
            while !last.is_empty() && face.text_width(last, size) + ellipsis > width {
                last.pop();
            }
            while last.last() == Some(&b' ') {
                last.pop();
            }
            last.push(ELLIPSIS);
        }
    }
    lines
}

/// Lays the three sections out, one page (or more) each.
fn layout(report: &Report) -> Vec<Content> {
    let mut layout = Layout::new();
    summary_page(&mut layout, report);
    layout.new_page();
    cases_pages(&mut layout, report);
    layout.new_page();
    missing_pages(&mut layout, report);
    layout.pages()
}

fn summary_page(layout: &mut Layout, report: &Report) {
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

fn tally_row(tally: &Tally) -> Row {
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

fn pass_fail(ok: bool) -> Verdict {
    if ok { Verdict::Passed } else { Verdict::Failed }
}

fn cases_pages(layout: &mut Layout, report: &Report) {
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

fn missing_pages(layout: &mut Layout, report: &Report) {
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

/// Adds the footer to every page and writes the document.
fn assemble(report: &Report, pages: Vec<Content>) -> Result<Vec<u8>, ReportError> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let page_ref = |i: usize, offset: i32| {
        let i = i32::try_from(i).unwrap_or(i32::MAX / 2 - 8);
        Ref::new(6 + 2 * i + offset)
    };
    let count = pages.len();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..count).map(|i| page_ref(i, 0)))
        .count(i32::try_from(count).unwrap_or(i32::MAX));
    for face in [Face::Regular, Face::Bold] {
        let id = if face == Face::Regular { regular } else { bold };
        pdf.type1_font(id)
            .base_font(Name(face.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let mut doc_info = pdf.document_info(info);
    doc_info.title(TextStr("E-Invoice API Test Summary Report"));
    if !report.header.company.is_empty() {
        doc_info.author(TextStr(&report.header.company));
    }
    doc_info.producer(TextStr("irp-conformance"));
    doc_info.finish();

    let company = if report.header.company.is_empty() {
        String::new()
    } else {
        format!("  ·  {}", report.header.company)
    };
    let left = format!("E-Invoice API Test Summary Report{company}");
    for (i, mut content) in pages.into_iter().enumerate() {
        footer(&mut content, &left, &format!("Page {} of {count}", i + 1));
        let stream = deflate(&content.finish())?;
        let mut page = pdf.page(page_ref(i, 0));
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(page_ref(i, 1));
        page.resources()
            .fonts()
            .pair(Name(Face::Regular.resource()), regular)
            .pair(Name(Face::Bold.resource()), bold);
        page.finish();
        pdf.stream(page_ref(i, 1), &stream)
            .filter(Filter::FlateDecode);
    }
    Ok(pdf.finish())
}

fn footer(content: &mut Content, left: &str, right: &str) {
    let size = 7.5;
    let Rgb(r, g, b) = MUTED;
    let right = helvetica::encode(right);
    let right_width = Face::Regular.text_width(&right, size);
    let left = wrap(
        left,
        Face::Regular,
        size,
        CONTENT_WIDTH - right_width - 24.0,
        1,
    );
    content.set_fill_rgb(r, g, b);
    for (x, text) in [
        (MARGIN, left.first().map(Vec::as_slice).unwrap_or_default()),
        (PAGE_WIDTH - MARGIN - right_width, right.as_slice()),
    ] {
        content
            .begin_text()
            .set_font(Name(Face::Regular.resource()), size)
            .next_line(x, FOOTER_BASELINE)
            .show(Str(text))
            .end_text();
    }
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, ReportError> {
    let encode = |source| ReportError::Encode {
        format: "PDF",
        source,
    };
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).map_err(encode)?;
    encoder.finish().map_err(encode)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn wrap_keeps_every_line_inside_the_width_and_cuts_with_an_ellipsis() {
        let text = "Supercalifragilisticexpialidocious words and a very-long-token-without-spaces \
                    ₹ 1,00,000\u{0}\u{7} then more words "
            .repeat(20);
        for width in [5.0, 30.0, 80.0, 400.0] {
            let lines = wrap(&text, Face::Regular, 8.0, width, 4);
            assert!(lines.len() <= 4);
            for line in &lines {
                // A single glyph wider than the cell is the only allowed overflow.
                assert!(
                    Face::Regular.text_width(line, 8.0) <= width.max(8.0),
                    "{width}: {line:?}"
                );
            }
            assert_eq!(*lines.last().unwrap().last().unwrap(), ELLIPSIS);
        }
        assert_eq!(wrap("", Face::Bold, 8.0, 50.0, 3), vec![Vec::<u8>::new()]);
        assert_eq!(
            wrap("a\nb", Face::Regular, 8.0, 50.0, 3),
            vec![b"a".to_vec(), b"b".to_vec()]
        );
    }
}
