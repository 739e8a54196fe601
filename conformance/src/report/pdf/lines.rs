//! Text broken into lines that fit a cell: Helvetica widths, hard breaks inside long tokens,
//! characters outside WinAnsi spelled with ones inside, and "…" when the lines run out.

use crate::report::helvetica::{self, ELLIPSIS, Face};
use crate::report::text;

use super::style::MAX_CELL_CHARS;

/// `text` in WinAnsi, broken into lines no wider than `width`: at spaces where possible,
/// inside a word when it alone is too wide, at most `max_lines` lines (the last then ends
/// with "…"). Always at least one (possibly empty) line.
pub(super) fn wrap(
    text: &str,
    face: Face,
    size: f32,
    width: f32,
    max_lines: usize,
) -> Vec<Vec<u8>> {
    wrap_messages(text, face, size, width, max_lines, None)
}

/// [`wrap`], with each paragraph (a message: one error, one reason) given at most
/// `per_message` lines, cut with "…" to the cell's width, so that one long message cannot
/// push the next ones out of the cell.
pub(super) fn wrap_messages(
    text: &str,
    face: Face,
    size: f32,
    width: f32,
    max_lines: usize,
    per_message: Option<usize>,
) -> Vec<Vec<u8>> {
    let text = text::truncate(text, MAX_CELL_CHARS);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for paragraph in text.split('\n') {
        let mut wrapped = wrap_paragraph(paragraph, face, size, width);
        if let Some(most) = per_message {
            cut(&mut wrapped, most, face, size, width);
        }
        lines.extend(wrapped);
    }
    cut(&mut lines, max_lines, face, size, width);
    lines
}

/// One paragraph broken into lines (at least one).
fn wrap_paragraph(paragraph: &str, face: Face, size: f32, width: f32) -> Vec<Vec<u8>> {
    let space = face.width(b' ', size);
    let mut lines = Vec::new();
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
    lines
}

/// Keeps at most `most` (at least one) of `lines`; when some are dropped, the last kept one
/// ends with "…" inside `width`.
fn cut(lines: &mut Vec<Vec<u8>>, most: usize, face: Face, size: f32, width: f32) {
    if lines.len() <= most.max(1) {
        return;
    }
    lines.truncate(most.max(1));
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
