//! What the expansion generates beside the table, named once: `ast` rejects a table or a
//! derive that would collide with it, `fallback` and `expand` emit it. A leaf, so that the
//! model can know the output's names without importing the code that writes it.

/// The name of the category enum generated beside the table.
pub(crate) const CATEGORY_ENUM: &str = "Category";

/// The derives whose traits the expansion implements for the table, each with what it
/// generates: a user derive of one would be a second, conflicting implementation.
pub(crate) const GENERATED_TRAITS: &[(&str, &str)] = &[
    ("Clone", "`Clone`"),
    ("Copy", "`Copy`"),
    ("Debug", "`Debug`"),
    ("PartialEq", "`PartialEq`"),
    ("Eq", "`Eq`"),
    ("Hash", "`Hash`"),
    ("PartialOrd", "`PartialOrd`"),
    ("Ord", "`Ord`"),
    ("Serialize", "serde's `Serialize`"),
    ("Deserialize", "serde's `Deserialize`"),
    ("Display", "`Display`"),
    ("EnumString", "`FromStr` and `TryFrom<&str>`"),
    ("AsRefStr", "`AsRef<str>`"),
    ("IntoStaticStr", "`From<Self> for &'static str`"),
    ("EnumCount", "strum's `EnumCount`"),
    ("VariantArray", "strum's `VariantArray`"),
    ("VariantNames", "strum's `VariantNames`"),
    ("EnumIter", "strum's `IntoEnumIterator`"),
    ("EnumMessage", "strum's `EnumMessage`"),
];
