//! The fast path of the lenient reader: serde_json over the bytes with a visitor that takes
//! any JSON value for any member, so a well-formed body costs what a derived `Deserialize`
//! costs, and one bad member costs only itself.
//!
//! It owns the [`Builder`] that both paths fill (the slow one in `scan` imports it), and
//! knows neither `scan` nor `read`, which chooses between the two.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::escape::escaped;
use super::reason::UnexpectedReason;
use super::received::{DroppedMembers, Member, ReceivedBody, ReceivedFieldError, ReceivedMessage};
use crate::{Code, JsonPointer, RequestId};

/// Bytes that are not a body: why, and the code when it was readable all the same (a body
/// cut short after its `error`, or followed by garbage, or too large to read whole); or,
/// when `error` was a string but not a code, that string escaped and bounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotABody {
    pub(crate) reason: UnexpectedReason,
    pub(crate) code: Option<Code>,
    pub(crate) raw_code: Option<String>,
}

impl NotABody {
    pub(crate) fn new(reason: UnexpectedReason, code: Option<Code>) -> Self {
        NotABody {
            reason,
            code,
            raw_code: None,
        }
    }
}

/// The most bytes of a malformed `error` string that are kept, escaped.
pub(crate) const RAW_CODE_LEN: usize = 128;

/// Reads `bytes` (no byte-order mark, not blank, at most [`MAX_BODY_LEN`] long) on the fast
/// path; `None` when serde_json refuses them and the slow path must read them.
///
/// [`MAX_BODY_LEN`]: super::reason::MAX_BODY_LEN
#[inline]
pub(crate) fn read_fast(bytes: &[u8]) -> Option<Result<ReceivedBody, NotABody>> {
    match serde_json::from_slice::<Fast>(bytes) {
        Ok(Fast(Some(builder))) => Some(builder.finish()),
        Ok(Fast(None)) => Some(Err(NotABody::new(UnexpectedReason::NotContract, None))),
        Err(_) => None,
    }
}

/// What a member's name says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// `error`, the code.
    Error,
    /// One of the optional members.
    Member(Member),
    /// A member this build does not read.
    Other,
}

impl Field {
    #[inline]
    pub(crate) fn from_key(key: &str) -> Field {
        match key {
            "error" => Field::Error,
            "type" => Field::Member(Member::Type),
            "title" => Field::Member(Member::Title),
            "status" => Field::Member(Member::Status),
            "message" => Field::Member(Member::Message),
            "request_id" => Field::Member(Member::RequestId),
            "run_id" => Field::Member(Member::RunId),
            "task_id" => Field::Member(Member::TaskId),
            "doc_url" => Field::Member(Member::DocUrl),
            "retry_after" => Field::Member(Member::RetryAfter),
            "errors" => Field::Member(Member::Errors),
            _ => Field::Other,
        }
    }
}

/// A member's value, as far as the body's rules care.
#[derive(Debug)]
pub(crate) enum Value<'a> {
    /// A string.
    Text(Cow<'a, str>),
    /// A non-negative integer that fits a `u64`.
    Integer(u64),
    /// The items of `errors` that were readable, and whether any was not.
    Errors(Vec<ReceivedFieldError>, bool),
    /// Anything else: another number, a boolean, null, an array or an object.
    Other,
}

/// The body being read, one member at a time, from either path.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    error: Option<Code>,
    type_url: Option<String>,
    title: Option<String>,
    status: Option<u16>,
    message: Option<ReceivedMessage>,
    request_id: Option<String>,
    run_id: Option<String>,
    task_id: Option<String>,
    doc_url: Option<String>,
    retry_after: Option<u32>,
    errors: Option<Vec<ReceivedFieldError>>,
    dropped: DroppedMembers,
    /// The last `error` string that was not a code, escaped.
    raw_code: Option<String>,
}

impl Builder {
    /// Records one member. A repeated member keeps its last readable value, and any
    /// unreadable one is named as dropped.
    #[inline]
    pub(crate) fn set(&mut self, field: Field, value: Value<'_>) {
        let member = match field {
            Field::Other => return,
            Field::Error => {
                // A non-string `error` is not remembered: without a string one, the bytes
                // are not a body. A string outside the code grammar is no code either; it
                // does not erase a well-formed one read before it, and is kept only as an
                // escaped excerpt.
                if let Value::Text(text) = value {
                    match Code::from_wire(&text) {
                        Some(code) => self.error = Some(code),
                        None => self.raw_code = Some(escaped(&text, RAW_CODE_LEN)),
                    }
                }
                return;
            }
            Field::Member(member) => member,
        };
        let text = |slot: &mut Option<String>, text: Cow<'_, str>| {
            *slot = Some(text.into_owned());
            true
        };
        let kept = match (member, value) {
            (Member::Type, Value::Text(t)) => text(&mut self.type_url, t),
            (Member::Title, Value::Text(t)) => text(&mut self.title, t),
            (Member::DocUrl, Value::Text(t)) => text(&mut self.doc_url, t),
            (Member::Message, Value::Text(t)) => {
                self.message = Some(ReceivedMessage::new(t.into_owned()));
                true
            }
            (Member::RequestId, Value::Text(t)) if RequestId::is_safe(t.as_bytes()) => {
                text(&mut self.request_id, t)
            }
            (Member::RunId, Value::Text(t)) if RequestId::is_safe(t.as_bytes()) => {
                text(&mut self.run_id, t)
            }
            (Member::TaskId, Value::Text(t)) if RequestId::is_safe(t.as_bytes()) => {
                text(&mut self.task_id, t)
            }
            (Member::Status, Value::Integer(n)) => match u16::try_from(n) {
                Ok(n) if error_rules::status::is_error_status(n) => {
                    self.status = Some(n);
                    true
                }
                _ => false,
            },
            (Member::RetryAfter, Value::Integer(n)) => match u32::try_from(n) {
                Ok(n) => {
                    self.retry_after = Some(n);
                    true
                }
                Err(_) => false,
            },
            (Member::Errors, Value::Errors(items, all_read)) => {
                self.errors = Some(items);
                all_read
            }
            _ => false,
        };
        if !kept {
            self.dropped.insert(member);
        }
    }

    /// The bytes stopped being a body for `reason`: what was read of the code so far.
    pub(crate) fn stop(self, reason: UnexpectedReason) -> NotABody {
        // A malformed string is only worth reporting when no code was read.
        let raw_code = if self.error.is_none() {
            self.raw_code
        } else {
            None
        };
        NotABody {
            reason,
            code: self.error,
            raw_code,
        }
    }

    /// The body, if `error` was a well-formed code.
    pub(crate) fn finish(mut self) -> Result<ReceivedBody, NotABody> {
        let Some(error) = self.error.take() else {
            return Err(self.stop(UnexpectedReason::NotContract));
        };
        Ok(ReceivedBody {
            type_url: self.type_url,
            title: self.title,
            status: self.status,
            error,
            message: self.message,
            request_id: self.request_id,
            run_id: self.run_id,
            task_id: self.task_id,
            doc_url: self.doc_url,
            retry_after: self.retry_after,
            errors: self.errors.unwrap_or_default(),
            dropped: self.dropped,
        })
    }
}

/// Reads the value of `errors` on its own, from its JSON text; the slow path calls this for
/// the one member whose value is a container it reads.
pub(crate) fn errors_from_str(json: &str) -> Value<'static> {
    let mut de = serde_json::Deserializer::from_str(json);
    match ValueSeed(Field::Member(Member::Errors)).deserialize(&mut de) {
        Ok(Value::Errors(items, all_read)) if de.end().is_ok() => Value::Errors(items, all_read),
        _ => Value::Other,
    }
}

/// The whole body on the fast path: `None` when the JSON is not an object.
struct Fast(Option<Builder>);

impl<'de> de::Deserialize<'de> for Fast {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopVisitor)
    }
}

/// Implements the visitor methods for every JSON value that is not a string, a number, an
/// array or an object, each answering `$value`.
macro_rules! other_values {
    ($value:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Fast;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    other_values!(Fast(None));

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Fast, E> {
        Ok(Fast(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Fast, E> {
        Ok(Fast(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Fast, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Fast(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fast, A::Error> {
        let mut builder = Builder::default();
        while let Some(Key(field)) = map.next_key()? {
            let value = map.next_value_seed(ValueSeed(field))?;
            builder.set(field, value);
        }
        Ok(Fast(Some(builder)))
    }
}

/// A member's name, read as the [`Field`] it names.
struct Key(Field);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(Key(Field::from_key(key)))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads any JSON value as the [`Value`] of the member `self.0`.
struct ValueSeed(Field);

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'de>, D::Error> {
        deserializer.deserialize_any(ValueVisitor(self.0))
    }
}

struct ValueVisitor(Field);

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    other_values!(Value::Other);

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value<'de>, E> {
        Ok(Value::Integer(n))
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value<'de>, E> {
        Ok(Value::Text(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Value<'de>, E> {
        Ok(Value::Text(Cow::Owned(text)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        if self.0 != Field::Member(Member::Errors) {
            IgnoredAny.visit_seq(seq)?;
            return Ok(Value::Other);
        }
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(1).min(16));
        let mut all_read = true;
        while let Some(Item(item)) = seq.next_element()? {
            match item {
                Some(item) => items.push(item),
                None => all_read = false,
            }
        }
        Ok(Value::Errors(items, all_read))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value<'de>, A::Error> {
        IgnoredAny.visit_map(map)?;
        Ok(Value::Other)
    }
}

/// One item of `errors`: `None` unless it is an object with a valid `pointer` and a string
/// `message`.
struct Item(Option<ReceivedFieldError>);

impl<'de> de::Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field problem")
    }

    other_values!(Item(None));

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Item, E> {
        Ok(Item(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Item, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(Item(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut pointer = None;
        let mut message = None;
        while let Some(ItemKey(key)) = map.next_key()? {
            // `Other` reads any value without looking into it.
            let value = map.next_value_seed(ValueSeed(Field::Other))?;
            if let Value::Text(text) = value {
                match key {
                    Some(ItemMember::Pointer) => pointer = JsonPointer::parse(&text).ok(),
                    Some(ItemMember::Message) => {
                        message = Some(ReceivedMessage::new(text.into_owned()));
                    }
                    None => {}
                }
            }
        }
        Ok(Item(pointer.zip(message).map(|(pointer, message)| {
            ReceivedFieldError::new(pointer, message)
        })))
    }
}

/// The members of a field problem that are read.
enum ItemMember {
    Pointer,
    Message,
}

/// A field problem's member name: `pointer`, `message`, or another.
struct ItemKey(Option<ItemMember>);

impl<'de> de::Deserialize<'de> for ItemKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemKeyVisitor;
        impl Visitor<'_> for ItemKeyVisitor {
            type Value = ItemKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<ItemKey, E> {
                Ok(ItemKey(match key {
                    "pointer" => Some(ItemMember::Pointer),
                    "message" => Some(ItemMember::Message),
                    _ => None,
                }))
            }
        }
        deserializer.deserialize_identifier(ItemKeyVisitor)
    }
}
