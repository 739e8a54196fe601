//! QR code images of a registration's `SignedQRCode`, as a printed invoice carries it.
//!
//! The IRP hands the supplier a signed JWS, and the supplier prints that text itself as the
//! invoice's QR code (the verifier app checks its signature offline). So the image encodes
//! exactly the `SignedQRCode` string, in byte mode, and nothing else: a client that tests its
//! printing can decode our image and its own and compare them.
//!
//! A `SignedQRCode` is about 1,000 characters, which fits at error-correction level M (15 %
//! of the symbol recoverable, a common choice for printed documents) from version 25 up; a
//! longer text falls back to level L rather than failing.

use std::fmt;

use qrcode::{Color, EcLevel, QrCode, render::svg};

/// Pixels per module in the PNG: about 0.5 mm per module at 200 dpi, large enough for a
/// phone camera, small enough that a version-25 code stays under 500 px.
const PNG_MODULE_PX: u32 = 4;

/// The light border every reader expects, in modules (ISO/IEC 18004 asks for 4).
const QUIET_ZONE: u32 = 4;

/// The text does not fit any QR code (more than about 2,900 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong(usize);

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes do not fit a QR code", self.0)
    }
}

impl std::error::Error for TooLong {}

/// A QR code holding one text.
pub struct QrImage {
    code: QrCode,
}

impl fmt::Debug for QrImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrImage")
            .field("version", &self.code.version())
            .field("ec_level", &self.code.error_correction_level())
            .finish()
    }
}

impl QrImage {
    /// The QR code of `text`: level M, or L when M cannot hold it.
    pub fn of(text: &str) -> Result<Self, TooLong> {
        QrCode::with_error_correction_level(text, EcLevel::M)
            .or_else(|_| QrCode::with_error_correction_level(text, EcLevel::L))
            .map(|code| Self { code })
            .map_err(|_| TooLong(text.len()))
    }

    /// Modules per side, without the quiet zone.
    pub fn modules(&self) -> u32 {
        u32::try_from(self.code.width()).unwrap_or(u32::MAX)
    }

    /// An SVG document: one path of dark modules on a white square, with the quiet zone,
    /// scalable to any print size.
    pub fn svg(&self) -> String {
        self.code
            .render::<svg::Color<'_>>()
            .quiet_zone(true)
            .module_dimensions(PNG_MODULE_PX, PNG_MODULE_PX)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build()
    }

    /// A greyscale PNG, 4 pixels per module, with the quiet zone.
    pub fn png(&self) -> Vec<u8> {
        let (pixels, side) = self.pixels(PNG_MODULE_PX);
        let mut out = Vec::with_capacity(pixels.len() / 8);
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Balanced);
        // Writing into a Vec cannot fail for a well-formed header and a buffer of exactly
        // side × side bytes, which `pixels` returns.
        let written = encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&pixels));
        if let Err(e) = written {
            unreachable!("PNG of {side}x{side} into memory: {e}");
        }
        out
    }

    /// Greyscale pixels (0 dark, 255 light), row by row, and the side in pixels.
    fn pixels(&self, scale: u32) -> (Vec<u8>, u32) {
        let modules = self.modules();
        let side_modules = modules + 2 * QUIET_ZONE;
        let side = side_modules * scale;
        let colors = self.code.to_colors();
        let dark = |mx: u32, my: u32| -> bool {
            let (Some(x), Some(y)) = (mx.checked_sub(QUIET_ZONE), my.checked_sub(QUIET_ZONE))
            else {
                return false;
            };
            x < modules
                && y < modules
                && colors.get((y * modules + x) as usize) == Some(&Color::Dark)
        };
        let mut pixels = Vec::with_capacity((side * side) as usize);
        for py in 0..side {
            for px in 0..side {
                pixels.push(if dark(px / scale, py / scale) { 0 } else { 255 });
            }
        }
        (pixels, side)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a PNG back to its text with an independent decoder.
    fn decode_png(bytes: &[u8]) -> String {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let width = info.width as usize;
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(width, info.height as usize, |x, y| {
                buffer[y * width + x]
            });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn the_png_decodes_to_exactly_the_text() {
        // A JWS-shaped text of a real SignedQRCode's length, with every base64url character.
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let body: String = alphabet.chars().cycle().take(1_050).collect();
        let text = format!("eyJhbGciOiJSUzI1NiJ9.{body}.sig-nature_x");
        let image = QrImage::of(&text).unwrap();
        assert_eq!(decode_png(&image.png()), text);
        assert!(image.modules() >= 117, "version 25 or above for about 1 KB");
    }

    #[test]
    fn the_svg_is_a_scalable_square_with_the_quiet_zone() {
        let image = QrImage::of("hello").unwrap();
        let svg = image.svg();
        let side = (image.modules() + 2 * QUIET_ZONE) * PNG_MODULE_PX;
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains(&format!("width=\"{side}\"")), "{svg}");
        assert!(svg.contains("#000000") && svg.contains("#ffffff"));
    }

    #[test]
    fn too_long_a_text_is_refused_not_truncated() {
        let text = "x".repeat(4_000);
        assert_eq!(QrImage::of(&text).unwrap_err(), TooLong(4_000));
        // Between M's and L's limits: L, not a refusal.
        let text = "x".repeat(2_800);
        let image = QrImage::of(&text).unwrap();
        assert_eq!(decode_png(&image.png()), text);
    }
}
