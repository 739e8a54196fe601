//! One string member of a JSON document, found and replaced in the raw text.
//!
//! The proxy changes exactly one value in each of two documents: the `AppKey` of the ERP's
//! credentials (before sealing them again for the upstream) and the `Sek` of the upstream's
//! auth answer (wrapped again for the ERP). Re-serialising the whole document would change
//! whitespace, escapes (NIC's .NET writes `+` as `\u002B`) and the spelling of numbers, so
//! the ERP would no longer get the upstream's bytes. Instead the value's token is located
//! in the text and replaced; every other byte stays.

use serde::de::IgnoredAny;

/// An open container while scanning: an object (with the member name read last) or an array.
enum Frame {
    Object {
        name: Option<String>,
        awaiting_name: bool,
    },
    Array,
}

/// `raw` with the string at `path` (member names from the top-level object, compared in any
/// ASCII case, as NIC's .NET reads them) replaced by `value`.
///
/// `None` when `raw` is not JSON or the path does not lead to exactly one string: absent,
/// not a string, or two members whose names differ only in case (which one the IRP reads
/// is then unknowable, so nothing is touched).
pub(super) fn replace_string(raw: &[u8], path: &[&str], value: &str) -> Option<Vec<u8>> {
    serde_json::from_slice::<IgnoredAny>(raw).ok()?;
    let spans = string_spans(raw, path)?;
    let [(start, end)] = spans.as_slice() else {
        return None;
    };
    let token = serde_json::to_string(value).ok()?;
    let mut out = Vec::with_capacity(raw.len() + token.len());
    out.extend_from_slice(raw.get(..*start)?);
    out.extend_from_slice(token.as_bytes());
    out.extend_from_slice(raw.get(*end..)?);
    Some(out)
}

/// The byte spans (quotes included) of every string value at `path`, or `None` when some
/// member at `path` holds something other than a string.
fn string_spans(raw: &[u8], path: &[&str]) -> Option<Vec<(usize, usize)>> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(&byte) = raw.get(i) {
        match byte {
            b'"' => {
                let end = string_end(raw, i)?;
                let token = raw.get(i..end)?;
                if let Some(Frame::Object {
                    name,
                    awaiting_name: awaiting @ true,
                }) = stack.last_mut()
                {
                    *name = Some(serde_json::from_slice(token).ok()?);
                    *awaiting = false;
                } else if at_path(&stack, path) {
                    spans.push((i, end));
                }
                i = end;
                continue;
            }
            b'{' | b'[' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9' if at_path(&stack, path) => {
                // A member at the path holds an object, array, literal or number.
                return None;
            }
            b'{' => stack.push(Frame::Object {
                name: None,
                awaiting_name: true,
            }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Object { awaiting_name, .. }) = stack.last_mut() {
                    *awaiting_name = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    Some(spans)
}

/// Whether a value read now sits at `path`: one object per path segment, each inside the
/// member of the one before, the innermost just past the member name.
fn at_path(stack: &[Frame], path: &[&str]) -> bool {
    stack.len() == path.len()
        && stack.iter().zip(path).all(|(frame, segment)| match frame {
            Frame::Object {
                name: Some(name),
                awaiting_name: false,
            } => name.eq_ignore_ascii_case(segment),
            _ => false,
        })
}

/// The index just past the closing quote of the string starting at `start`.
fn string_end(raw: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match raw.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `raw`, the path, and what the replacement by "NEW" gives (`None`: refused).
    macro_rules! replaced {
        ($name:ident, $raw:expr, [$($segment:expr),*], $expected:expr) => {
            #[test]
            fn $name() {
                let out = replace_string($raw.as_bytes(), &[$($segment),*], "NEW");
                let expected: Option<&str> = $expected;
                assert_eq!(out.as_deref().map(|b| std::str::from_utf8(b).unwrap()), expected);
            }
        };
    }

    replaced!(
        top_level_member,
        r#"{"UserName":"u","AppKey":"old","Password":"p"}"#,
        ["AppKey"],
        Some(r#"{"UserName":"u","AppKey":"NEW","Password":"p"}"#)
    );
    replaced!(
        nested_member_keeps_every_other_byte,
        "{ \"Status\" : 1 ,\n \"Data\": {\"AuthToken\":\"t\", \"Sek\" :\t\"a\\u002Bb/c=\",\"TokenExpiry\":\"2026-01-01 10:00:00\"},\"ErrorDetails\":null}",
        ["Data", "Sek"],
        Some(
            "{ \"Status\" : 1 ,\n \"Data\": {\"AuthToken\":\"t\", \"Sek\" :\t\"NEW\",\"TokenExpiry\":\"2026-01-01 10:00:00\"},\"ErrorDetails\":null}"
        )
    );
    replaced!(
        names_in_any_case,
        r#"{"data":{"SEK":"x"}}"#,
        ["Data", "Sek"],
        Some(r#"{"data":{"SEK":"NEW"}}"#)
    );
    replaced!(
        same_name_elsewhere_is_left_alone,
        r#"{"Sek":"top","Data":{"Inner":{"Sek":"deep"},"Sek":"here","List":[{"Sek":"x"}]}}"#,
        ["Data", "Sek"],
        Some(r#"{"Sek":"top","Data":{"Inner":{"Sek":"deep"},"Sek":"NEW","List":[{"Sek":"x"}]}}"#)
    );
    replaced!(
        escaped_quotes_in_other_strings,
        r#"{"a":"x\"}{\\","AppKey":"k","b":"\\"}"#,
        ["AppKey"],
        Some(r#"{"a":"x\"}{\\","AppKey":"NEW","b":"\\"}"#)
    );
    replaced!(
        escaped_member_name,
        r#"{"App\u004Bey":"k"}"#,
        ["AppKey"],
        Some(r#"{"App\u004Bey":"NEW"}"#)
    );
    replaced!(
        names_that_differ_only_in_case,
        r#"{"AppKey":"a","appkey":"b"}"#,
        ["AppKey"],
        None
    );
    replaced!(absent, r#"{"UserName":"u"}"#, ["AppKey"], None);
    replaced!(not_a_string, r#"{"AppKey":12}"#, ["AppKey"], None);
    replaced!(
        an_object,
        r#"{"Data":{"Sek":{"x":"y"}}}"#,
        ["Data", "Sek"],
        None
    );
    replaced!(
        null_value,
        r#"{"Data":{"Sek":null}}"#,
        ["Data", "Sek"],
        None
    );
    replaced!(not_json, r#"{"AppKey":"k""#, ["AppKey"], None);
    replaced!(inside_an_array, r#"[{"AppKey":"k"}]"#, ["AppKey"], None);

    #[test]
    fn never_panics_on_junk() {
        for junk in [
            "",
            "\"",
            "{\"",
            "{\"a\\",
            "]]]",
            "{}}",
            "\u{0}",
            "{\"Data\":[{",
        ] {
            assert_eq!(replace_string(junk.as_bytes(), &["Data", "Sek"], "x"), None);
        }
    }
}
