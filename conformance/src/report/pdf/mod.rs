//! The PDF form NIC asks integrators to mail with their request for production access.
//!
//! NIC wants the filled-in template back as a PDF, so this writer lays the report out as a
//! printed form (continuing onto more pages when long):
//!
//! 1. the header block, the per-API counts against the minimums and the overall verdict;
//! 2. from a new page, the "Key API × Key features" case grid with expected and actual
//!    results (one line per error, cut with "…" to the cell);
//! 3. below it, or on the next page when its heading and first rows do not fit, what is
//!    missing or failing, with reasons, and in journal mode the catalogue cases never seen.
//!
//! A last page never holds only a line or two: the page before it then ends higher.
//!
//! A rehearsal carries its mark in a red band across the top of every page and in every
//! footer; any other report's footer names the company and the target's host.
//!
//! Pages are A4 landscape. Text uses the standard Helvetica faces, which every PDF reader
//! carries, so no font is embedded (characters outside their WinAnsi set are spelled with
//! ones inside, `₹` as `Rs.`); cells wrap their text and cut it with "…" after a few lines,
//! so nothing overflows a cell. `pdf-writer` only serialises objects: the layout below is
//! ours, small and deterministic (the same report gives the same bytes).

//!
//! - `style`: page geometry, type sizes, colours and columns;
//! - `layout`: the layout engine (cells, rows, page breaks); `lines`: text wrapped to a cell;
//! - `pages`: the three sections laid out with it;
//! - here: the document assembled, with footers and compressed streams.

mod layout;
mod lines;
mod pages;
mod style;

use std::io::Write as _;
use std::path::Path;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use self::lines::wrap;
use self::pages::layout;
use self::style::*;
use super::helvetica::{self, Face};
use super::model::REHEARSAL;
use super::text::target_host;
use super::{Report, ReportError};

/// The report as PDF bytes.
pub fn to_bytes(report: &Report) -> Result<Vec<u8>, ReportError> {
    let pages = layout(report);
    assemble(report, pages)
}

/// Writes [`to_bytes`] to `path`.
pub fn write(report: &Report, path: &Path) -> Result<(), ReportError> {
    super::write_file(path, &to_bytes(report)?)
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

    let mut left = vec!["E-Invoice API Test Summary Report".to_owned()];
    if report.is_rehearsal() {
        left.insert(0, REHEARSAL.to_owned());
    } else {
        for part in [report.header.company.clone(), target_host(&report.header)] {
            if !part.is_empty() {
                left.push(part);
            }
        }
    }
    let left = left.join("  ·  ");
    for (i, mut content) in pages.into_iter().enumerate() {
        if report.is_rehearsal() {
            rehearsal_band(&mut content);
        }
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

/// The rehearsal mark across the top of a page, above the content.
fn rehearsal_band(content: &mut Content) {
    let size = 9.0;
    let text = helvetica::encode(REHEARSAL);
    let width = Face::Bold.text_width(&text, size);
    let Rgb(r, g, b) = RED_FILL;
    content
        .set_fill_rgb(r, g, b)
        .rect(MARGIN, PAGE_HEIGHT - MARGIN + 6.0, CONTENT_WIDTH, 16.0)
        .fill_nonzero();
    let Rgb(r, g, b) = RED_TEXT;
    content
        .set_fill_rgb(r, g, b)
        .begin_text()
        .set_font(Name(Face::Bold.resource()), size)
        .next_line((PAGE_WIDTH - width) / 2.0, PAGE_HEIGHT - MARGIN + 11.0)
        .show(Str(&text))
        .end_text();
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
    use crate::report::helvetica::ELLIPSIS;

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
