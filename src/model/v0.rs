//! Open Badges 0.5 types (2011–12), and the lenient value shapes every
//! version's types share: [`OneOrMany`], [`IriOrObject`], [`DateValue`].
//!
//! Every field of every model type is optional, and a value of the wrong type
//! reads as `None` (or is left out of a list) instead of failing the whole
//! document. JSON-LD lets `"p": "v"` and `"p": ["v"]` mean the same; both read
//! the same here. Unknown properties are ignored.

use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// An OB 0.5 assertion: the badge and its issuer are embedded, the recipient
/// is a string, and the assertion itself is hosted at the URL that was baked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Assertion {
    /// The recipient: a plaintext email, or `sha256$hex` / `md5$hex` / `sha1$hex`.
    #[serde(deserialize_with = "opt")]
    pub recipient: Option<String>,
    /// Salt appended to the email before hashing.
    #[serde(deserialize_with = "text")]
    pub salt: Option<String>,
    /// When it was issued (`YYYY-MM-DD`, ISO 8601 or Unix seconds).
    #[serde(deserialize_with = "opt")]
    pub issued_on: Option<DateValue>,
    /// When it expires.
    #[serde(deserialize_with = "opt")]
    pub expires: Option<DateValue>,
    /// URL of the evidence (may be relative to the issuer origin).
    #[serde(deserialize_with = "opt")]
    pub evidence: Option<String>,
    /// The badge, embedded.
    #[serde(deserialize_with = "opt")]
    pub badge: Option<Badge>,
}

/// The badge embedded in an OB 0.5 assertion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Badge {
    /// Version of the badge ("0.5.0").
    #[serde(deserialize_with = "text")]
    pub version: Option<String>,
    /// Name (up to 128 characters).
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Image URL (may be relative to the issuer origin).
    #[serde(deserialize_with = "opt")]
    pub image: Option<String>,
    /// Criteria URL (may be relative to the issuer origin).
    #[serde(deserialize_with = "opt")]
    pub criteria: Option<String>,
    /// The issuer, embedded.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<Issuer>,
}

/// The issuer embedded in an OB 0.5 badge.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Issuer {
    /// `scheme://host[:port]` of the issuer; relative URLs resolve against it.
    #[serde(deserialize_with = "opt")]
    pub origin: Option<String>,
    /// Name of the issuing agent.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Organization the agent belongs to.
    #[serde(deserialize_with = "opt")]
    pub org: Option<String>,
    /// Contact email.
    #[serde(deserialize_with = "opt")]
    pub contact: Option<String>,
}

impl Issuer {
    /// Resolves a URL relative to [`Issuer::origin`] (as the Mozilla validator
    /// did); absolute URLs, `data:` URIs and unresolvable input come back as given.
    pub fn absolutize(&self, link: &str) -> String {
        let origin = match self.origin.as_deref().map(str::trim) {
            Some(o) if o.starts_with("http://") || o.starts_with("https://") => {
                o.trim_end_matches('/')
            }
            _ => return link.to_owned(),
        };
        let has_scheme = link.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        });
        if has_scheme || link.starts_with("//") || link.trim().is_empty() {
            link.to_owned()
        } else if link.starts_with('/') {
            format!("{origin}{link}")
        } else {
            format!("{origin}/{link}")
        }
    }
}

/// A value that may be written as one item or as an array of items.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single item.
    One(T),
    /// An array of items.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The items, whichever way they were written.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

/// A JSON-LD `@id`-typed value: an IRI string or an embedded object.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum IriOrObject<T> {
    /// A link (URL, `urn:uuid:`, DID, `data:` URI ...).
    Iri(String),
    /// The object itself, embedded.
    Object(T),
}

impl<T> IriOrObject<T> {
    /// The IRI, when the value is only a link.
    pub fn iri(&self) -> Option<&str> {
        match self {
            IriOrObject::Iri(s) => Some(s),
            IriOrObject::Object(_) => None,
        }
    }

    /// The embedded object, when there is one.
    pub fn object(&self) -> Option<&T> {
        match self {
            IriOrObject::Iri(_) => None,
            IriOrObject::Object(t) => Some(t),
        }
    }
}

/// A date as written: ISO 8601 text, or (OB 0.5/1.x) Unix seconds.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum DateValue {
    /// Text as written (ISO 8601 in every spec; sometimes date-only).
    Text(String),
    /// Seconds since 1970-01-01T00:00:00Z (allowed by OB 0.5 and 1.x).
    Unix(i64),
}

impl DateValue {
    /// The date for display: text as written, Unix seconds as RFC 3339 UTC.
    /// Text of 9 or 10 digits (a Unix time written as a string) is converted too.
    pub fn display(&self) -> String {
        match self {
            DateValue::Unix(secs) => unix_to_rfc3339(*secs),
            DateValue::Text(s) => match s.trim().parse::<i64>() {
                Ok(secs)
                    if (9..=10).contains(&s.trim().len()) && !s.trim().starts_with(['+', '-']) =>
                {
                    unix_to_rfc3339(secs)
                }
                _ => s.clone(),
            },
        }
    }
}

// ------------------------------------------------------------------ leniency
//
// Every model field is read through [`Lenient`]: a visitor that streams over
// the value once, takes the shapes the field's type accepts and skips the
// rest. Nothing is buffered, so reading costs O(size) however deep the
// document nests (buffering each field into a `Value` and retrying would cost
// O(size × depth), which hostile input can make minutes).

/// A type read leniently: each JSON shape it does not accept reads as `None`.
/// An array stands for its first item of an accepted shape (JSON-LD treats
/// `"p": ["v"]` like `"p": "v"`).
pub(crate) trait Lenient: Sized {
    /// From a string.
    fn from_string(_s: String) -> Option<Self> {
        None
    }
    /// From a boolean.
    fn from_bool(_b: bool) -> Option<Self> {
        None
    }
    /// From an integer.
    fn from_i64(_n: i64) -> Option<Self> {
        None
    }
    /// From a number that is not an integer (or does not fit an `i64`).
    fn from_f64(_n: f64) -> Option<Self> {
        None
    }
    /// From an object; implementations must consume every entry.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        drain_map(map)?;
        Ok(None)
    }
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements [`Lenient`] for derived structs: read from objects only.
macro_rules! lenient_structs {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::model::v0::Lenient for $t {
            fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
                <$t as serde::Deserialize>::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
            }
        }
    )*};
}
pub(crate) use lenient_structs;

lenient_structs!(Assertion, Badge, Issuer);

impl Lenient for String {
    fn from_string(s: String) -> Option<Self> {
        Some(s)
    }
}

impl Lenient for i64 {
    fn from_i64(n: i64) -> Option<Self> {
        Some(n)
    }
    fn from_f64(n: f64) -> Option<Self> {
        (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
    }
}

impl Lenient for f64 {
    fn from_i64(n: i64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(n)
    }
}

/// Captured as written (proofs, status entries, unmodelled parts).
impl Lenient for Value {
    fn from_string(s: String) -> Option<Self> {
        Some(Value::String(s))
    }
    fn from_bool(b: bool) -> Option<Self> {
        Some(Value::Bool(b))
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(Value::from(n))
    }
    fn from_f64(n: f64) -> Option<Self> {
        serde_json::Number::from_f64(n).map(Value::Number)
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
}

impl<T: Lenient> Lenient for Box<T> {
    fn from_string(s: String) -> Option<Self> {
        T::from_string(s).map(Box::new)
    }
    fn from_bool(b: bool) -> Option<Self> {
        T::from_bool(b).map(Box::new)
    }
    fn from_i64(n: i64) -> Option<Self> {
        T::from_i64(n).map(Box::new)
    }
    fn from_f64(n: f64) -> Option<Self> {
        T::from_f64(n).map(Box::new)
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Ok(T::from_map(map)?.map(Box::new))
    }
}

impl<T: Lenient> Lenient for IriOrObject<T> {
    fn from_string(s: String) -> Option<Self> {
        Some(IriOrObject::Iri(s))
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Ok(T::from_map(map)?.map(IriOrObject::Object))
    }
}

impl Lenient for DateValue {
    fn from_string(s: String) -> Option<Self> {
        Some(DateValue::Text(s))
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(DateValue::Unix(n))
    }
    fn from_f64(n: f64) -> Option<Self> {
        <i64 as Lenient>::from_f64(n).map(DateValue::Unix)
    }
}

/// Text that may have been written as a number or boolean (salts, codes, uids).
struct Text(String);

impl Lenient for Text {
    fn from_string(s: String) -> Option<Self> {
        Some(Text(s))
    }
    fn from_bool(b: bool) -> Option<Self> {
        Some(Text(b.to_string()))
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(Text(n.to_string()))
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(Text(n.to_string()))
    }
}

/// A boolean, or (OB 1.x) the strings "true"/"false" in any case.
struct Flag(bool);

impl Lenient for Flag {
    fn from_bool(b: bool) -> Option<Self> {
        Some(Flag(b))
    }
    fn from_string(s: String) -> Option<Self> {
        let s = s.trim();
        (s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"))
            .then(|| Flag(s.eq_ignore_ascii_case("true")))
    }
}

fn from_u64<T: Lenient>(n: u64) -> Option<T> {
    match i64::try_from(n) {
        Ok(n) => T::from_i64(n),
        Err(_) => T::from_f64(n as f64),
    }
}

/// Reads one value; `in_list` says arrays inside a list are skipped, not unwrapped.
struct One<T> {
    in_list: bool,
    marker: PhantomData<T>,
}

impl<T> One<T> {
    fn new(in_list: bool) -> Self {
        One {
            in_list,
            marker: PhantomData,
        }
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for One<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Lenient> Visitor<'de> for One<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, s: &str) -> Result<Option<T>, E> {
        Ok(T::from_string(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Option<T>, E> {
        Ok(T::from_string(s))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Option<T>, E> {
        Ok(T::from_bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Option<T>, E> {
        Ok(T::from_i64(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Option<T>, E> {
        Ok(from_u64(n))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Option<T>, E> {
        Ok(T::from_f64(n))
    }
    fn visit_unit<E>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::from_map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
        let mut found = None;
        if !self.in_list {
            while found.is_none() {
                match seq.next_element_seed(One::<T>::new(true))? {
                    Some(item) => found = item,
                    None => return Ok(None),
                }
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(found)
    }
}

/// Reads a list: one item or an array; items of the wrong shape are left out.
struct Many<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for Many<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(One::<T>::new(true))? {
            items.extend(item);
        }
        Ok(items)
    }
    fn visit_str<E>(self, s: &str) -> Result<Vec<T>, E> {
        Ok(T::from_string(s.to_owned()).into_iter().collect())
    }
    fn visit_string<E>(self, s: String) -> Result<Vec<T>, E> {
        Ok(T::from_string(s).into_iter().collect())
    }
    fn visit_bool<E>(self, b: bool) -> Result<Vec<T>, E> {
        Ok(T::from_bool(b).into_iter().collect())
    }
    fn visit_i64<E>(self, n: i64) -> Result<Vec<T>, E> {
        Ok(T::from_i64(n).into_iter().collect())
    }
    fn visit_u64<E>(self, n: u64) -> Result<Vec<T>, E> {
        Ok(from_u64::<T>(n).into_iter().collect())
    }
    fn visit_f64<E>(self, n: f64) -> Result<Vec<T>, E> {
        Ok(T::from_f64(n).into_iter().collect())
    }
    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        Ok(T::from_map(map)?.into_iter().collect())
    }
}

/// Reads an optional value leniently (see [`Lenient`]).
pub(crate) fn opt<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(One::<T>::new(false))
}

/// Reads a list leniently: one item or an array; items of the wrong shape are left out.
pub(crate) fn many<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(Many(PhantomData))
}

/// Reads a boolean leniently: `true`/`false`, or "true"/"false" in any case (OB 1.x).
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(opt::<D, Flag>(d)?.map(|f| f.0))
}

/// Reads text leniently: a string, or a number or boolean written without quotes.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(opt::<D, Text>(d)?.map(|t| t.0))
}

/// Renders Unix seconds as an RFC 3339 UTC date-time (`1970-01-01T00:00:00Z`).
pub fn unix_to_rfc3339(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Year, month, day of a count of days since 1970-01-01 (proleptic Gregorian;
/// H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
