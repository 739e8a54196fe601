//! The form's look: A4 landscape geometry, type sizes, colours and table columns.

/// A4 landscape, in points.
pub(super) const PAGE_WIDTH: f32 = 841.89;
pub(super) const PAGE_HEIGHT: f32 = 595.28;
pub(super) const MARGIN: f32 = 36.0;
pub(super) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Lowest point content may reach; the footer sits below it.
pub(super) const BOTTOM: f32 = 46.0;
pub(super) const FOOTER_BASELINE: f32 = 24.0;
/// Font size of table text.
pub(super) const TABLE_SIZE: f32 = 8.0;
/// Cell padding.
pub(super) const PAD: f32 = 3.0;
/// Line height as a multiple of the font size.
pub(super) const LEADING: f32 = 1.2;
/// Distance from the top of a line box to its baseline, as a multiple of the font size.
pub(super) const BASELINE: f32 = 0.88;
/// Characters of one cell considered at all; a cell shows a few lines of them.
pub(super) const MAX_CELL_CHARS: usize = 2_000;
/// Rows of the failing-outcomes table; the rest are counted, not listed.
pub(super) const MAX_FAILING_ROWS: usize = 500;

/// A colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rgb(pub(super) f32, pub(super) f32, pub(super) f32);

pub(super) const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
pub(super) const MUTED: Rgb = Rgb(0.4, 0.4, 0.4);
pub(super) const BORDER: Rgb = Rgb(0.6, 0.6, 0.6);
pub(super) const HEAD_FILL: Rgb = Rgb(0.84, 0.86, 0.89);
pub(super) const LABEL_FILL: Rgb = Rgb(0.93, 0.94, 0.95);
pub(super) const GREEN_FILL: Rgb = Rgb(0.78, 0.94, 0.81);
pub(super) const GREEN_TEXT: Rgb = Rgb(0.0, 0.38, 0.0);
pub(super) const RED_FILL: Rgb = Rgb(1.0, 0.78, 0.81);
pub(super) const RED_TEXT: Rgb = Rgb(0.61, 0.0, 0.02);
pub(super) const RED_ROW: Rgb = Rgb(1.0, 0.93, 0.93);
pub(super) const AMBER_FILL: Rgb = Rgb(1.0, 0.92, 0.61);
pub(super) const AMBER_TEXT: Rgb = Rgb(0.5, 0.3, 0.0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Right,
    Center,
}

/// A table column: its title, share of the content width, alignment and most lines a cell
/// may take before it is cut.
pub(super) struct Column {
    pub(super) title: &'static str,
    pub(super) share: f32,
    pub(super) align: Align,
    pub(super) max_lines: usize,
}

pub(super) const fn column(
    title: &'static str,
    share: f32,
    align: Align,
    max_lines: usize,
) -> Column {
    Column {
        title,
        share,
        align,
        max_lines,
    }
}
