//! Templates: `${name}` in any string of a step, resolved just before the step runs.
//!
//! Names: a capture of an earlier step (`${irn}`), `${gstin.ROLE}` and `${user.ROLE}` from
//! the profile, `${today}` / `${today-3}` / `${today+1}` (`dd/mm/yyyy`, the target's today),
//! `${doc_no}` (this step's fresh document number), `${run}` (this run's id) and `${i}`
//! (the repetition, from 1). A filter may follow: `${doc_no|lower}`, `|upper`, `|minute`
//! (a `yyyy-MM-dd HH:mm:ss` time with its seconds as `00`). A string that
//! is exactly one `${capture}` becomes the captured JSON value itself (a number stays a
//! number).

use std::collections::BTreeMap;

use serde_json::Value;
use time::{Date, Duration, macros::format_description};

use crate::profile::Profile;

/// Why a template could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The profile has no such role: the step is skipped, not failed.
    #[error("the profile has no role `{0}`")]
    NoRole(String),
    /// No capture or built-in of that name.
    #[error("`${{{0}}}`: nothing of that name was captured")]
    Unknown(String),
    /// `${` without `}`, or an unknown filter.
    #[error("bad template `{0}`")]
    Syntax(String),
}

/// What templates are resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Vars<'a> {
    /// Captures of earlier steps.
    pub captures: &'a BTreeMap<String, Value>,
    /// The profile's roles.
    pub profile: &'a Profile,
    /// The target's today.
    pub today: Date,
    /// This step's fresh document number.
    pub doc_no: &'a str,
    /// This run's id.
    pub run: &'a str,
    /// Repetition, from 1.
    pub repeat: u32,
}

impl Vars<'_> {
    /// Resolves every string inside `value`.
    pub fn expand(&self, value: &Value) -> Result<Value, TemplateError> {
        Ok(match value {
            Value::String(text) => self.expand_value(text)?,
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.expand(v))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.expand(v)?)))
                    .collect::<Result<_, TemplateError>>()?,
            ),
            other => other.clone(),
        })
    }

    /// A string that is exactly one `${name}` of a JSON capture keeps its JSON type.
    fn expand_value(&self, text: &str) -> Result<Value, TemplateError> {
        if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}'))
            && !name.contains("${")
            && !name.contains('|')
            && let Some(value) = self.captures.get(name)
        {
            return Ok(value.clone());
        }
        self.expand_str(text).map(Value::String)
    }

    /// Resolves the templates of `text` into a string.
    pub fn expand_str(&self, text: &str) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(rest.get(..start).unwrap_or_default());
            let after = rest.get(start + 2..).unwrap_or_default();
            let end = after
                .find('}')
                .ok_or_else(|| TemplateError::Syntax(text.to_owned()))?;
            let expr = after.get(..end).unwrap_or_default();
            out.push_str(&self.resolve(expr)?);
            rest = after.get(end + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Ok(out)
    }

    fn resolve(&self, expr: &str) -> Result<String, TemplateError> {
        let (name, filter) = match expr.split_once('|') {
            Some((name, filter)) => (name.trim(), Some(filter.trim())),
            None => (expr.trim(), None),
        };
        let value = self.lookup(name)?;
        match filter {
            None => Ok(value),
            Some("lower") => Ok(value.to_lowercase()),
            Some("upper") => Ok(value.to_uppercase()),
            // `yyyy-MM-dd HH:mm:ss` to the minute, as the IRP prints the AckDt of a DUPIRN
            // block, EwbDt and CancelDate.
            Some("minute") if value.len() == 19 && value.is_char_boundary(17) => {
                Ok(format!("{}00", value.get(..17).unwrap_or_default()))
            }
            Some(_) => Err(TemplateError::Syntax(expr.to_owned())),
        }
    }

    fn lookup(&self, name: &str) -> Result<String, TemplateError> {
        if let Some(value) = self.captures.get(name) {
            return Ok(match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
        let role = |role: &str| {
            self.profile
                .party(role)
                .ok_or_else(|| TemplateError::NoRole(role.to_owned()))
        };
        if let Some(r) = name.strip_prefix("gstin.") {
            return Ok(role(r)?.gstin.clone());
        }
        if let Some(r) = name.strip_prefix("user.") {
            return role(r)?
                .username
                .clone()
                .ok_or_else(|| TemplateError::NoRole(format!("{r} (as a user)")));
        }
        match name {
            "doc_no" => return Ok(self.doc_no.to_owned()),
            "run" => return Ok(self.run.to_owned()),
            "i" => return Ok(self.repeat.to_string()),
            _ => {}
        }
        if let Some(offset) = name.strip_prefix("today") {
            let days: i64 = match offset {
                "" => 0,
                _ => offset
                    .strip_prefix('+')
                    .unwrap_or(offset)
                    .parse()
                    .map_err(|_| TemplateError::Syntax(name.to_owned()))?,
            };
            return Ok(format_date(self.today + Duration::days(days)));
        }
        Err(TemplateError::Unknown(name.to_owned()))
    }
}

/// `dd/mm/yyyy`, the IRP's date format.
pub fn format_date(date: Date) -> String {
    date.format(format_description!("[day]/[month]/[year]"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    #[test]
    fn templates_resolve_table() {
        let profile = Profile::emulator();
        let captures = BTreeMap::from([
            ("irn".to_owned(), json!("abc")),
            ("ack".to_owned(), json!(152610000000001_u64)),
            ("at".to_owned(), json!("2026-03-31 10:07:41")),
        ]);
        let vars = Vars {
            captures: &captures,
            profile: &profile,
            today: date!(2026 - 03 - 01),
            doc_no: "C1/AB",
            run: "RUN1",
            repeat: 2,
        };
        let table = [
            (json!("${irn}"), json!("abc")),
            (json!("${ack}"), json!(152610000000001_u64)),
            (json!("no ${ack}"), json!("no 152610000000001")),
            (json!("${gstin.supplier}"), json!("29AAACL1111A1ZD")),
            (json!("${user.supplier_other}"), json!("small_supplier")),
            (json!("${today}"), json!("01/03/2026")),
            (json!("${today-1}"), json!("28/02/2026")),
            (json!("${today+31}"), json!("01/04/2026")),
            (json!("${doc_no|lower}-${i}"), json!("c1/ab-2")),
            (json!("${at|minute}"), json!("2026-03-31 10:07:00")),
            (json!({"a": ["${run}", 5]}), json!({"a": ["RUN1", 5]})),
        ];
        for (template, expected) in table {
            assert_eq!(vars.expand(&template).unwrap(), expected, "{template}");
        }
        assert_eq!(
            vars.expand(&json!("${gstin.nobody}")),
            Err(TemplateError::NoRole("nobody".to_owned()))
        );
        assert!(matches!(
            vars.expand(&json!("${nope}")),
            Err(TemplateError::Unknown(_))
        ));
        assert!(matches!(
            vars.expand(&json!("${irn")),
            Err(TemplateError::Syntax(_))
        ));
        assert!(matches!(
            vars.expand(&json!("${irn|rot13}")),
            Err(TemplateError::Syntax(_))
        ));
    }
}
