//! Request JSON read the way NIC's .NET stack reads it: property names in any case, coded
//! values in any case.
//!
//! NIC's IRP binds JSON with a case-insensitive deserialiser: India Compliance sends
//! `Cnlrsn`/`Cnlrem` on Cancel IRN and NIC's own published sample invoice spells `Accdet`,
//! `Fininsbr`, `Porefr`, `Expdt`, `wrDt`, and NIC signs those fields under their canonical
//! names (`AccDet`, `FinInsBr`, …). The emulator gets the same effect by rewriting the
//! decrypted JSON before anything else reads it: a [`Spelling`] is the tree of a request's
//! canonical names (built once per request type), and [`Spelling::normalise`] renames each
//! key that matches one case-insensitively, replaces a coded value that matches one of its
//! codes case-insensitively by that code (`"inv"` → `"INV"`), and, with
//! [`Coercion::Scalars`], turns a number sent as a string into a number (and the reverse)
//! where the request type says so. The schema check and the typed deserialisation then run
//! unchanged on canonical JSON, so the signed copy always carries NIC's names and codes.
//!
//! Two keys of one object that fold to the same name (`Typ` and `typ`) are a
//! [`Collision`]: the request is refused with one entry naming both spellings, where .NET's
//! `System.Text.Json` would silently keep the last. A refusal is the safer emulation: a
//! client that sends both has a bug whose outcome on NIC depends on key order.

use std::{collections::HashMap, fmt::Write as _};

use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

/// A request type read in canonical spelling: its JSON is normalised against
/// [`Spelled::spelling`] before it is deserialised.
pub trait Spelled: DeserializeOwned {
    /// The type's spelling; `None` for a type normalised later on (the invoice, whose
    /// spelling comes with its schema gate).
    fn spelling() -> Option<&'static Spelling>;

    /// Parses `plain` and deserialises it in canonical spelling.
    fn read(plain: &[u8]) -> Result<Self, ReadError> {
        Self::from_json(serde_json::from_slice(plain).map_err(ReadError::Json)?)
    }

    /// Deserialises parsed JSON in canonical spelling.
    fn from_json(mut value: Value) -> Result<Self, ReadError> {
        if let Some(spelling) = Self::spelling() {
            let collisions = spelling.normalise(&mut value, Coercion::Exact);
            if !collisions.is_empty() {
                return Err(ReadError::Collisions(collisions));
            }
        }
        serde_json::from_value(value).map_err(ReadError::Json)
    }
}

impl Spelled for Value {
    fn spelling() -> Option<&'static Spelling> {
        None
    }

    /// Already a value: not rebuilt through `Deserialize`.
    fn from_json(value: Value) -> Result<Self, ReadError> {
        Ok(value)
    }
}

/// Why a request could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON, or not of the request's shape.
    #[error("Invalid JSON payload: {0}")]
    Json(serde_json::Error),
    /// Keys folding to one name.
    #[error("{}", .0.iter().map(Collision::message).collect::<Vec<_>>().join("; "))]
    Collisions(Vec<Collision>),
}

/// How scalar types are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Coercion {
    /// As sent: a number sent as a string fails the type check.
    #[default]
    Exact,
    /// A string holding a JSON number where a number is expected becomes that number, and a
    /// number where a string is expected becomes its text (as Newtonsoft.Json binds them).
    Scalars,
}

/// What a value's type is, for [`Coercion::Scalars`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Scalar {
    /// Anything (objects, arrays, untyped fields).
    #[default]
    Any,
    /// A JSON number.
    Number,
    /// A JSON string.
    Text,
}

/// The canonical spelling of one value: its object members, its array items, its codes.
#[derive(Debug, Clone, Default)]
pub struct Spelling {
    /// Members by lower-cased name: the canonical name and the member's spelling.
    members: HashMap<String, (String, Spelling)>,
    /// The spelling of every item, for an array.
    items: Option<Box<Spelling>>,
    /// The codes a string value may take, in their canonical case.
    codes: Vec<String>,
    /// Whether any string value is upper-cased (a code from an open master, e.g. units).
    upper: bool,
    /// The scalar type.
    scalar: Scalar,
}

/// Two members of one object whose names fold to the same canonical name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// JSON path of the member, in canonical names (`/DocDtls/Typ`).
    pub path: String,
    /// The spellings received, in order.
    pub spellings: Vec<String>,
}

impl Collision {
    /// The 2140 entry: `#/DocDtls/Typ: duplicate property (Typ, typ)`.
    pub fn message(&self) -> String {
        format!(
            "#{}: duplicate property ({})",
            self.path,
            self.spellings.join(", ")
        )
    }
}

impl Spelling {
    /// An object with these members.
    pub fn object<'a>(members: impl IntoIterator<Item = (&'a str, Spelling)>) -> Self {
        Self {
            members: members
                .into_iter()
                .map(|(name, spelling)| (name.to_ascii_lowercase(), (name.to_owned(), spelling)))
                .collect(),
            ..Self::default()
        }
    }

    /// An object whose members are all plain values.
    pub fn names(names: &[&str]) -> Self {
        Self::object(names.iter().map(|n| (*n, Self::default())))
    }

    /// A string value that takes one of `codes` (matched in any case).
    pub fn codes(codes: &[&str]) -> Self {
        Self {
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            scalar: Scalar::Text,
            ..Self::default()
        }
    }

    /// A string value read in upper case (a code of an open master).
    pub fn upper(mut self) -> Self {
        self.upper = true;
        self
    }

    /// A number value.
    pub fn number() -> Self {
        Self {
            scalar: Scalar::Number,
            ..Self::default()
        }
    }

    /// A string value.
    pub fn text() -> Self {
        Self {
            scalar: Scalar::Text,
            ..Self::default()
        }
    }

    /// The spelling of a JSON Schema (draft-07 subset: `properties`, `items`, `enum`,
    /// `type`), as NIC's schema is written.
    pub fn of_schema(schema: &Value) -> Self {
        let mut spelling = match schema.get("type").and_then(Value::as_str) {
            Some("number" | "integer") => Self::number(),
            Some("string") => Self::text(),
            _ => Self::default(),
        };
        if let Some(Value::Object(properties)) = schema.get("properties") {
            spelling.members = properties
                .iter()
                .map(|(name, sub)| {
                    (
                        name.to_ascii_lowercase(),
                        (name.clone(), Self::of_schema(sub)),
                    )
                })
                .collect();
        }
        if let Some(items) = schema.get("items") {
            spelling.items = Some(Box::new(Self::of_schema(items)));
        }
        if let Some(Value::Array(codes)) = schema.get("enum") {
            spelling.codes = codes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        spelling
    }

    /// The spelling of member `name` (canonical), for adjusting a built tree.
    pub fn member_mut(&mut self, name: &str) -> Option<&mut Spelling> {
        self.members
            .get_mut(&name.to_ascii_lowercase())
            .map(|(_, spelling)| spelling)
    }

    /// The spelling of an array's items, for adjusting a built tree.
    pub fn items_mut(&mut self) -> Option<&mut Spelling> {
        self.items.as_deref_mut()
    }

    /// Rewrites `value` into canonical spelling; every collision found is returned (and the
    /// first of the colliding members kept).
    pub fn normalise(&self, value: &mut Value, coercion: Coercion) -> Vec<Collision> {
        let mut collisions = Vec::new();
        self.walk(value, coercion, &mut String::new(), &mut collisions);
        collisions
    }

    fn walk(
        &self,
        value: &mut Value,
        coercion: Coercion,
        path: &mut String,
        collisions: &mut Vec<Collision>,
    ) {
        match value {
            Value::Object(map) if !self.members.is_empty() => {
                // A client that writes NIC's own spelling (nearly all) needs no rebuilt map.
                let canonical = map
                    .keys()
                    .all(|key| self.member(key).is_none_or(|(name, _)| name == key));
                if !canonical {
                    *map = self.rename(std::mem::take(map), path, collisions);
                }
                for (name, member) in map.iter_mut() {
                    if let Some((_, spelling)) = self.member(name) {
                        let len = path.len();
                        path.push('/');
                        path.push_str(name);
                        spelling.walk(member, coercion, path, collisions);
                        path.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(spelling) = &self.items {
                    for (index, item) in items.iter_mut().enumerate() {
                        let len = path.len();
                        let _ = write!(path, "/{index}");
                        spelling.walk(item, coercion, path, collisions);
                        path.truncate(len);
                    }
                }
            }
            Value::String(text) => {
                if let Some(code) = self.codes.iter().find(|c| c.eq_ignore_ascii_case(text)) {
                    text.clone_from(code);
                } else if self.upper {
                    text.make_ascii_uppercase();
                } else if coercion == Coercion::Scalars
                    && self.scalar == Scalar::Number
                    && let Ok(number) = text.trim().parse::<Number>()
                {
                    *value = Value::Number(number);
                }
            }
            Value::Number(number)
                if coercion == Coercion::Scalars && self.scalar == Scalar::Text =>
            {
                *value = Value::String(number.to_string());
            }
            _ => {}
        }
    }

    /// The member `key` names, whatever its case (no allocation for the short keys of the
    /// schemas: this runs for every key of every request).
    fn member(&self, key: &str) -> Option<&(String, Spelling)> {
        let mut buffer = [0u8; 64];
        match buffer.get_mut(..key.len()) {
            Some(lower) => {
                lower.copy_from_slice(key.as_bytes());
                lower.make_ascii_lowercase();
                // Lower-casing ASCII bytes leaves UTF-8 valid.
                std::str::from_utf8(lower)
                    .ok()
                    .and_then(|lower| self.members.get(lower))
            }
            None => self.members.get(&key.to_ascii_lowercase()),
        }
    }

    /// The members of `map` under their canonical names, in the order received.
    fn rename(
        &self,
        map: Map<String, Value>,
        path: &str,
        collisions: &mut Vec<Collision>,
    ) -> Map<String, Value> {
        let mut renamed = Map::with_capacity(map.len());
        let mut received: HashMap<String, Vec<String>> = HashMap::new();
        for (key, member) in map {
            let name = self
                .member(&key)
                .map_or_else(|| key.clone(), |(canonical, _)| canonical.clone());
            received.entry(name.clone()).or_default().push(key);
            renamed.entry(name).or_insert(member);
        }
        for (name, _) in renamed.iter() {
            if let Some(spellings) = received.remove(name)
                && spellings.len() > 1
            {
                collisions.push(Collision {
                    path: format!("{path}/{name}"),
                    spellings,
                });
            }
        }
        renamed
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn cancel() -> Spelling {
        Spelling::object([
            ("Irn", Spelling::default()),
            ("CnlRsn", Spelling::codes(&["1", "2", "3", "4"])),
            ("CnlRem", Spelling::default()),
            (
                "Lines",
                Spelling {
                    items: Some(Box::new(Spelling::object([
                        ("Typ", Spelling::codes(&["INV", "CRN"])),
                        ("Unit", Spelling::text().upper()),
                        ("Qty", Spelling::number()),
                        ("Stcd", Spelling::text()),
                    ]))),
                    ..Spelling::default()
                },
            ),
        ])
    }

    #[test]
    fn names_and_codes_take_their_canonical_spelling() {
        let mut doc = json!({"irn": "x", "Cnlrsn": "2", "CNLREM": "r", "Other": 1,
            "lines": [{"typ": "crn", "unit": "nos", "QTY": 1}]});
        assert!(cancel().normalise(&mut doc, Coercion::Exact).is_empty());
        assert_eq!(
            doc,
            json!({"Irn": "x", "CnlRsn": "2", "CnlRem": "r", "Other": 1,
                "Lines": [{"Typ": "CRN", "Unit": "NOS", "Qty": 1}]})
        );
        let order: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(order, ["Irn", "CnlRsn", "CnlRem", "Other", "Lines"]);
    }

    #[test]
    fn unknown_codes_and_keys_stay_as_sent() {
        let mut doc = json!({"Lines": [{"Typ": "xyz", "typo": "a"}]});
        cancel().normalise(&mut doc, Coercion::Exact);
        assert_eq!(doc, json!({"Lines": [{"Typ": "xyz", "typo": "a"}]}));
    }

    #[test]
    fn folded_duplicates_are_one_collision() {
        let mut doc = json!({"Lines": [{"Typ": "INV", "typ": "CRN", "TYP": "DBN"}]});
        let collisions = cancel().normalise(&mut doc, Coercion::Exact);
        assert_eq!(collisions.len(), 1);
        assert_eq!(
            collisions[0].message(),
            "#/Lines/0/Typ: duplicate property (Typ, typ, TYP)"
        );
        assert_eq!(doc, json!({"Lines": [{"Typ": "INV"}]}));
    }

    #[test]
    fn scalars_are_coerced_only_when_asked() {
        let sent = json!({"Lines": [{"Qty": " 12.50 ", "Stcd": 9}]});
        let mut exact = sent.clone();
        cancel().normalise(&mut exact, Coercion::Exact);
        assert_eq!(exact, sent);
        let mut lax = sent;
        cancel().normalise(&mut lax, Coercion::Scalars);
        assert_eq!(lax, json!({"Lines": [{"Qty": 12.50, "Stcd": "9"}]}));
        assert_eq!(lax["Lines"][0]["Qty"].to_string(), "12.5");
        let mut not_a_number = json!({"Lines": [{"Qty": "twelve"}]});
        cancel().normalise(&mut not_a_number, Coercion::Scalars);
        assert_eq!(not_a_number["Lines"][0]["Qty"], "twelve");
    }

    #[test]
    fn schema_spelling() {
        let schema = json!({"type": "object", "properties": {
            "DocDtls": {"type": "object", "properties": {
                "Typ": {"type": "string", "enum": ["INV", "CRN", "DBN"]}}},
            "ItemList": {"type": "array", "items": {"type": "object", "properties": {
                "Qty": {"type": "number"}}}}}});
        let spelling = Spelling::of_schema(&schema);
        let mut doc = json!({"docdtls": {"TYP": "dbn"}, "itemList": [{"qty": "3"}]});
        assert!(spelling.normalise(&mut doc, Coercion::Scalars).is_empty());
        assert_eq!(
            doc,
            json!({"DocDtls": {"Typ": "DBN"}, "ItemList": [{"Qty": 3}]})
        );
    }
}
