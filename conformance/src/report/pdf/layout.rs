//! The layout engine: cells that wrap their text in Helvetica metrics and cut it with "…",
//! rows that grow to their tallest cell, and pages that continue a table (with its heading
//! row again) when it runs past the bottom margin. Headings keep with what follows them. A
//! layout can be asked to end one page higher ([`Layout::new`]'s `raise`), which is how the
//! pages module moves content onto an otherwise near-empty last page. Deterministic: the
//! same rows give the same content streams.

use pdf_writer::{Content, Name, Str};

use super::lines::{wrap, wrap_messages};
use super::style::*;
use crate::report::helvetica::Face;
use crate::report::model::Verdict;

/// One table cell.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    text: String,
    bold: bool,
    fill: Option<Rgb>,
    color: Rgb,
    /// Lines each paragraph (one message) may take before it is cut with "…".
    per_message: Option<usize>,
}

impl Cell {
    pub(super) fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            bold: false,
            fill: None,
            color: BLACK,
            per_message: None,
        }
    }

    /// A cell of messages, one per paragraph, each cut with "…" after `lines` lines.
    pub(super) fn messages(text: impl Into<String>, lines: usize) -> Self {
        Cell {
            per_message: Some(lines),
            ..Cell::new(text)
        }
    }

    pub(super) fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    pub(super) fn fill(mut self, fill: Rgb) -> Self {
        self.fill = Some(fill);
        self
    }

    pub(super) fn color(mut self, color: Rgb) -> Self {
        self.color = color;
        self
    }

    /// A Pass / Fail / Skipped (or Yes / No) cell, coloured.
    pub(super) fn status(text: &str, verdict: Verdict) -> Self {
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
pub(super) struct Row {
    cells: Vec<Cell>,
    fill: Option<Rgb>,
}

impl Row {
    pub(super) fn new(cells: Vec<Cell>) -> Self {
        Row { cells, fill: None }
    }

    pub(super) fn fill(mut self, fill: Rgb) -> Self {
        self.fill = Some(fill);
        self
    }
}

/// Pages being filled top to bottom.
pub(super) struct Layout {
    done: Vec<Content>,
    page: Content,
    /// Top of the free space on the current page.
    y: f32,
    /// Whether each page (the current one last) began a section by choice rather than
    /// because the one before was full.
    chosen: Vec<bool>,
    /// A page (by index) whose content ends this much higher than the others.
    raise: Option<(usize, f32)>,
}

impl Layout {
    /// An empty layout; `raise` ends page `index` `points` higher than [`BOTTOM`].
    pub(super) fn new(raise: Option<(usize, f32)>) -> Self {
        Layout {
            done: Vec::new(),
            page: Content::new(),
            y: PAGE_HEIGHT - MARGIN,
            chosen: vec![true],
            raise,
        }
    }

    /// Starts a section on a new page.
    pub(super) fn new_page(&mut self) {
        self.next_page(true);
    }

    /// Continues on a new page because this one is full.
    fn overflow(&mut self) {
        self.next_page(false);
    }

    fn next_page(&mut self, chosen: bool) {
        let page = std::mem::replace(&mut self.page, Content::new());
        self.done.push(page);
        self.chosen.push(chosen);
        self.y = PAGE_HEIGHT - MARGIN;
    }

    pub(super) fn pages(mut self) -> Vec<Content> {
        self.done.push(self.page);
        self.done
    }

    /// How many pages so far, the current one included.
    pub(super) fn page_count(&self) -> usize {
        self.done.len() + 1
    }

    /// Whether the current page began a section by choice.
    pub(super) fn began_by_choice(&self) -> bool {
        self.chosen.last().copied().unwrap_or(true)
    }

    /// Height used on the current page.
    pub(super) fn used(&self) -> f32 {
        PAGE_HEIGHT - MARGIN - self.y
    }

    /// Lowest point content may reach on the current page.
    fn bottom(&self) -> f32 {
        match self.raise {
            Some((index, points)) if index == self.done.len() => BOTTOM + points,
            _ => BOTTOM,
        }
    }

    pub(super) fn room(&self) -> f32 {
        self.y - self.bottom()
    }

    pub(super) fn gap(&mut self, height: f32) {
        self.y = (self.y - height).max(self.bottom());
    }

    pub(super) fn show(
        &mut self,
        x: f32,
        baseline: f32,
        face: Face,
        size: f32,
        color: Rgb,
        bytes: &[u8],
    ) {
        let Rgb(r, g, b) = color;
        self.page
            .set_fill_rgb(r, g, b)
            .begin_text()
            .set_font(Name(face.resource()), size)
            .next_line(x, baseline)
            .show(Str(bytes))
            .end_text();
    }

    pub(super) fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32, color: Rgb) {
        let Rgb(r, g, b) = color;
        self.page
            .set_fill_rgb(r, g, b)
            .rect(x, top - height, width, height)
            .fill_nonzero();
    }

    /// Wrapped text across the content width, breaking pages as needed.
    pub(super) fn paragraph(&mut self, text: &str, face: Face, size: f32, color: Rgb) {
        let leading = size * LEADING;
        for line in wrap(text, face, size, CONTENT_WIDTH, 40) {
            if self.room() < leading {
                self.overflow();
            }
            let baseline = self.y - size * BASELINE;
            self.show(MARGIN, baseline, face, size, color, &line);
            self.y -= leading;
        }
    }

    /// A section title, moved to a new page when too little room is left below it.
    pub(super) fn heading(&mut self, text: &str, size: f32) {
        self.heading_with(text, size, 60.0);
    }

    /// A section title kept with the first `follow` points of what comes after it: moved
    /// to a new page when they do not fit below it.
    pub(super) fn heading_with(&mut self, text: &str, size: f32, follow: f32) {
        if self.room() < heading_height(text, size) + follow {
            self.overflow();
        }
        self.paragraph(text, Face::Bold, size, BLACK);
        self.gap(HEADING_GAP);
    }

    /// A coloured box holding one bold statement.
    pub(super) fn banner(&mut self, text: &str, fill: Rgb, color: Rgb) {
        let size = 11.0;
        let lines = wrap(text, Face::Bold, size, CONTENT_WIDTH - 4.0 * PAD, 4);
        let height = lines.len() as f32 * size * LEADING + 4.0 * PAD;
        if self.room() < height {
            self.overflow();
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
    pub(super) fn table(
        &mut self,
        columns: &[Column],
        rows: &[Row],
        header: bool,
        continued: &str,
    ) {
        let widths: Vec<f32> = columns.iter().map(|c| c.share * CONTENT_WIDTH).collect();
        let head =
            Row::new(columns.iter().map(|c| Cell::new(c.title).bold()).collect()).fill(HEAD_FILL);
        let head = header.then(|| lay_out_row(&head, columns, &widths));
        let head_height = head.as_ref().map_or(0.0, |h| h.height);
        let mut first = true;
        for row in rows {
            let laid = lay_out_row(row, columns, &widths);
            if laid.height + if first { head_height } else { 0.0 } > self.room() {
                self.overflow();
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

    pub(super) fn draw_row(&mut self, row: &LaidRow<'_>, columns: &[Column], widths: &[f32]) {
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

/// Space below a heading.
const HEADING_GAP: f32 = 4.0;

/// Height of a heading of `text` at `size`, its gap included.
pub(super) fn heading_height(text: &str, size: f32) -> f32 {
    let lines = wrap(text, Face::Bold, size, CONTENT_WIDTH, 40).len();
    lines as f32 * size * LEADING + HEADING_GAP
}

/// Height of a [`Layout::banner`] of `text`.
pub(super) fn banner_height(text: &str) -> f32 {
    let size = 11.0;
    let lines = wrap(text, Face::Bold, size, CONTENT_WIDTH - 4.0 * PAD, 4).len();
    lines as f32 * size * LEADING + 4.0 * PAD
}

/// Height of a table's header row (if `header`) and its first `count` rows: what a heading
/// above it keeps with it.
pub(super) fn table_start(columns: &[Column], rows: &[Row], header: bool, count: usize) -> f32 {
    let widths: Vec<f32> = columns.iter().map(|c| c.share * CONTENT_WIDTH).collect();
    let head =
        Row::new(columns.iter().map(|c| Cell::new(c.title).bold()).collect()).fill(HEAD_FILL);
    let head_height = if header {
        lay_out_row(&head, columns, &widths).height
    } else {
        0.0
    };
    head_height
        + rows
            .iter()
            .take(count)
            .map(|row| lay_out_row(row, columns, &widths).height)
            .sum::<f32>()
}

/// A row with its cells wrapped to their columns.
pub(super) struct LaidRow<'a> {
    row: &'a Row,
    lines: Vec<Vec<Vec<u8>>>,
    height: f32,
}

pub(super) fn lay_out_row<'a>(row: &'a Row, columns: &[Column], widths: &[f32]) -> LaidRow<'a> {
    let lines: Vec<Vec<Vec<u8>>> = row
        .cells
        .iter()
        .zip(columns.iter().zip(widths))
        .map(|(cell, (column, width))| {
            let face = if cell.bold { Face::Bold } else { Face::Regular };
            wrap_messages(
                &cell.text,
                face,
                TABLE_SIZE,
                width - 2.0 * PAD,
                column.max_lines,
                cell.per_message,
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
