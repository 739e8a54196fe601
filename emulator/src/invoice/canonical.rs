//! JSON text as the IRP's .NET serialiser writes it, for the signed invoice and QR payloads.
//!
//! `System.Text.Json`'s default encoder escapes HTML-sensitive characters (`+`, `&`, `<`,
//! `>`, `'`, `` ` ``), the double quote as `\u0022`, and everything outside ASCII as
//! `\uXXXX` (upper-case hex, surrogate pairs above U+FFFF). NIC's production sample shows
//! `+` as `\u002B` and `&` as `\u0026` inside `PrdDesc`. Clients that compare the signed
//! copy with what they sent must decode JSON, not compare bytes; the emulator reproduces
//! the bytes so that such comparisons fail here first.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, Serializer};

/// A `serde_json` formatter with `System.Text.Json`'s default escaping.
#[derive(Debug, Clone, Copy, Default)]
pub struct DotNetFormatter;

fn write_unicode_escape<W: ?Sized + Write>(writer: &mut W, unit: u16) -> io::Result<()> {
    write!(writer, "\\u{unit:04X}")
}

impl Formatter for DotNetFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut plain_from = 0;
        for (at, c) in fragment.char_indices() {
            let escape = !c.is_ascii() || matches!(c, '+' | '&' | '<' | '>' | '\'' | '`');
            if !escape {
                continue;
            }
            writer.write_all(fragment.get(plain_from..at).unwrap_or_default().as_bytes())?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write_unicode_escape(writer, *unit)?;
            }
            plain_from = at + c.len_utf8();
        }
        writer.write_all(fragment.get(plain_from..).unwrap_or_default().as_bytes())
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let text: &[u8] = match escape {
            CharEscape::Quote => b"\\u0022",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => return write_unicode_escape(writer, byte.into()),
        };
        writer.write_all(text)
    }
}

/// Serialises `value` with [`DotNetFormatter`].
pub fn to_dotnet_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(2048);
    value.serialize(&mut Serializer::with_formatter(&mut out, DotNetFormatter))?;
    // The formatter writes only ASCII, plus whatever serde_json passes through unescaped,
    // which is valid UTF-8 taken from a `&str`.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn escapes_like_system_text_json() {
        let text = to_dotnet_json(&json!({"PrdDesc": "A+B & C <d> 'e' \"q\" \\ é 😀\n"})).unwrap();
        assert_eq!(
            text,
            r#"{"PrdDesc":"A\u002BB \u0026 C \u003Cd\u003E \u0027e\u0027 \u0022q\u0022 \\ \u00E9 \uD83D\uDE00\n"}"#
        );
    }

    #[test]
    fn numbers_keep_their_form() {
        let value: serde_json::Value = serde_json::from_str(r#"{"a":1.0,"b":12,"c":0.5}"#).unwrap();
        assert_eq!(
            to_dotnet_json(&value).unwrap(),
            r#"{"a":1.0,"b":12,"c":0.5}"#
        );
    }

    proptest! {
        #[test]
        fn output_is_ascii_json_that_decodes_to_the_input(s in any::<String>()) {
            let text = to_dotnet_json(&json!({ "s": s })).unwrap();
            prop_assert!(text.is_ascii());
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(back["s"].as_str(), Some(s.as_str()));
        }
    }
}
