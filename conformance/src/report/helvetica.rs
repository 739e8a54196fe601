//! Width metrics and text encoding of the two standard faces the PDF uses.
//!
//! Helvetica and Helvetica-Bold are among the 14 standard PDF fonts every reader carries, so
//! the PDF embeds no font program and the repository ships no font file. Laying out table
//! cells still needs each glyph's advance width: these are the published widths of the two
//! faces (identical in the metric-compatible URW Nimbus Sans), in thousandths of the font
//! size, for the WinAnsi codes 32 to 255. Text is encoded to WinAnsi; characters outside it
//! are spelled with ones inside (`₹` as `Rs.`) or shown as `?`, so no input can produce
//! bytes the font cannot draw.

/// One of the two faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

impl Face {
    /// The PostScript name of the standard font.
    pub(crate) fn base_font(self) -> &'static [u8] {
        match self {
            Face::Regular => b"Helvetica",
            Face::Bold => b"Helvetica-Bold",
        }
    }

    /// The name of the font in each page's resources.
    pub(crate) fn resource(self) -> &'static [u8] {
        match self {
            Face::Regular => b"F1",
            Face::Bold => b"F2",
        }
    }

    /// Advance width of WinAnsi code `byte`, in points at font size `size`.
    pub(crate) fn width(self, byte: u8, size: f32) -> f32 {
        let table = match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        };
        let units = usize::from(byte)
            .checked_sub(32)
            .and_then(|i| table.get(i))
            .copied()
            .unwrap_or(0);
        f32::from(units) * size / 1000.0
    }

    /// Width of a run of WinAnsi bytes, in points at font size `size`.
    pub(crate) fn text_width(self, bytes: &[u8], size: f32) -> f32 {
        bytes.iter().map(|b| self.width(*b, size)).sum()
    }
}

/// WinAnsi code of the horizontal ellipsis.
pub(crate) const ELLIPSIS: u8 = 0x85;

/// Appends the WinAnsi encoding of `c` to `out` (one or more bytes, always drawable).
///
/// Line breaks and tabs become spaces (callers split lines before encoding); other control
/// characters become `?`.
pub(crate) fn encode_char(c: char, out: &mut Vec<u8>) {
    if let Some(byte) = win_ansi(c) {
        out.push(byte);
        return;
    }
    let spelled: &[u8] = match c {
        '\t' | '\n' | '\r' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => b" ",
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => b"",
        '₹' => b"Rs.",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => b"-",
        '≤' => b"<=",
        '≥' => b">=",
        '≠' => b"!=",
        '→' => b"->",
        '←' => b"<-",
        '✓' | '✔' => b"v",
        '✗' | '✘' => b"x",
        _ => b"?",
    };
    out.extend_from_slice(spelled);
}

/// `s` in WinAnsi.
pub(crate) fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        encode_char(c, &mut out);
    }
    out
}

/// The WinAnsi code of `c`, if it has one.
fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x20..=0x7E).contains(&code) || (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Helvetica widths of WinAnsi codes 32..=255 (0 for the five unassigned codes).
#[rustfmt::skip]
const REGULAR: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,  // 0x70
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,  // 0x80
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,  // 0x90
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,  // 0xA0
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,  // 0xB0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,  // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,  // 0xD0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,  // 0xE0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,  // 0xF0
];

/// Helvetica-Bold widths of WinAnsi codes 32..=255 (0 for the five unassigned codes).
#[rustfmt::skip]
const BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,  // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,  // 0x30
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,  // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,  // 0x50
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,  // 0x60
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,  // 0x70
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,  // 0x80
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,  // 0x90
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,  // 0xA0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,  // 0xB0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,  // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,  // 0xD0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,  // 0xE0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,  // 0xF0
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_encodes_to_drawable_bytes() {
        for c in [
            'a', '€', '…', 'é', '₹', '\u{0}', '\u{7f}', '\u{9f}', '中', '😀', '\u{FFFF}',
        ] {
            let bytes = encode(&c.to_string());
            assert!(!bytes.is_empty(), "{c:?}");
            for byte in bytes {
                assert!(Face::Regular.width(byte, 10.0) > 0.0, "{c:?} -> {byte:#x}");
            }
        }
        assert_eq!(encode("₹ 100 ≥ 5"), b"Rs. 100 >= 5");
    }

    #[test]
    fn widths_are_helvetica_s() {
        assert_eq!(Face::Regular.text_width(b"W", 1000.0), 944.0);
        assert_eq!(Face::Regular.text_width(b"i", 1000.0), 222.0);
        assert_eq!(Face::Bold.text_width(b"i", 1000.0), 278.0);
        assert_eq!(Face::Regular.width(ELLIPSIS, 1000.0), 1000.0);
    }
}
