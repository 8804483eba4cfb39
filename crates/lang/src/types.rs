//! The types of facts, parameters and expressions.

use std::fmt;
use std::sync::Arc;

/// A type. `Error` stands for "already reported": it is compatible with everything, so one mistake
/// yields one diagnostic, not a cascade.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// 64-bit integer.
    Int,
    /// Decimal number.
    Decimal,
    /// Boolean.
    Bool,
    /// Text.
    Text,
    /// Calendar date.
    Date,
    /// Duration (`2 months`).
    Duration,
    /// A value of the named enum (also `document`, `actors`).
    Enum(Arc<str>),
    /// A record; named when declared with `record`.
    Record(Arc<RecordType>),
    /// Ordered list.
    List(Box<Type>),
    /// Set.
    Set(Box<Type>),
    /// Maybe absent.
    Optional(Box<Type>),
    /// The type of `none`.
    None,
    /// Already reported, or unknown (the element type of `[]`).
    Error,
}

/// The fields of a record type.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordType {
    /// Set for `record name { … }`.
    pub name: Option<String>,
    /// Fields in declaration order.
    pub fields: Vec<(String, Type)>,
}

impl RecordType {
    /// The type of field `name`.
    pub fn field(&self, name: &str) -> Option<&Type> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

impl Type {
    /// `T?`, without stacking optionals.
    pub fn optional(self) -> Type {
        match self {
            Type::Optional(_) | Type::Error | Type::None => self,
            other => Type::Optional(Box::new(other)),
        }
    }

    /// True for `int` and `decimal`.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Int | Type::Decimal | Type::Error)
    }

    /// True for types that `<` orders.
    pub fn is_ordered(&self) -> bool {
        matches!(
            self,
            Type::Int | Type::Decimal | Type::Date | Type::Duration | Type::Text | Type::Error
        )
    }

    /// The element type of a list or set.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(t) | Type::Set(t) => Some(t),
            _ => None,
        }
    }

    /// Whether a value of `self` may be used where `target` is expected.
    pub fn assignable_to(&self, target: &Type) -> bool {
        use Type::*;
        match (self, target) {
            (Error, _) | (_, Error) => true,
            (a, b) if a == b => true,
            (Int, Decimal) => true,
            (None, Optional(_)) => true,
            (Optional(a), Optional(b)) => a.assignable_to(b),
            (a, Optional(b)) => a.assignable_to(b),
            (List(a), List(b)) | (Set(a), Set(b)) | (List(a), Set(b)) => a.assignable_to(b),
            (Record(a), Record(b)) => {
                a.fields.len() == b.fields.len()
                    && b.fields
                        .iter()
                        .all(|(name, tb)| a.field(name).is_some_and(|ta| ta.assignable_to(tb)))
            }
            _ => false,
        }
    }

    /// Whether `==` between the two makes sense.
    pub fn comparable(&self, other: &Type) -> bool {
        self.assignable_to(other) || other.assignable_to(self) || {
            let strip = |t: &Type| match t {
                Type::Optional(inner) => (**inner).clone(),
                t => t.clone(),
            };
            strip(self).comparable_plain(&strip(other))
        }
    }

    fn comparable_plain(&self, other: &Type) -> bool {
        self.assignable_to(other) || other.assignable_to(self)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Int => f.write_str("int"),
            Type::Decimal => f.write_str("decimal"),
            Type::Bool => f.write_str("bool"),
            Type::Text => f.write_str("text"),
            Type::Date => f.write_str("date"),
            Type::Duration => f.write_str("duration"),
            Type::Enum(name) => f.write_str(name),
            Type::Record(r) => match &r.name {
                Some(name) => f.write_str(name),
                None => {
                    f.write_str("{ ")?;
                    for (i, (name, ty)) in r.fields.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{name}: {ty}")?;
                    }
                    f.write_str(" }")
                }
            },
            Type::List(t) => write!(f, "list<{t}>"),
            Type::Set(t) => write!(f, "set<{t}>"),
            Type::Optional(t) => write!(f, "{t}?"),
            Type::None => f.write_str("none"),
            Type::Error => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_widens_to_decimal_and_optional() {
        assert!(Type::Int.assignable_to(&Type::Decimal));
        assert!(Type::Int.assignable_to(&Type::Decimal.optional()));
        assert!(Type::None.assignable_to(&Type::Date.optional()));
        assert!(!Type::Decimal.assignable_to(&Type::Int));
        assert!(!Type::Date.optional().assignable_to(&Type::Date));
    }

    #[test]
    fn display_reads_like_the_language() {
        let t = Type::List(Box::new(Type::Text.optional()));
        assert_eq!(t.to_string(), "list<text?>");
    }
}
