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
