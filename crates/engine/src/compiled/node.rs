//! The compiled expression: every name resolved to a slot, literals evaluated, calls resolved to
//! what they do. One [`Node`] per syntax node the tree walker would evaluate, with its span, so
//! errors and coverage land where they did.

use super::val::{Shape, Val};
use cpts_diag::Span;
use cpts_lang::model::NodeId;
use cpts_lang::syntax::BinOp;
use std::sync::Arc;

/// A compiled expression.
#[derive(Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub span: Span,
}

/// What a node does.
#[derive(Debug)]
pub(crate) enum Kind {
    /// A literal.
    Const(Val),
    /// An evaluation that always fails with this message (a name without a value, an unknown
    /// step, a literal that is not a date…).
    Fail(String),
    /// `today`.
    Today,
    /// A fact, by index in the model's fact list.
    Fact(u32),
    /// A parameter or computed value, by memo slot.
    Named(u32),
    /// A comprehension variable, by depth (0: the innermost).
    Local(u32),
    /// `e.v` where `e` names an enum: the variant, unless the facts hold a key of that name
    /// (index into [`super::Program`]'s enum keys), then `base.v`.
    EnumMember {
        key: u32,
        variant: Val,
        field: Box<Node>,
    },
    /// `base.name`, with the position in the shape the base's type gives, if known.
    Field {
        base: Box<Node>,
        name: Arc<str>,
        hint: Option<(Arc<Shape>, u32)>,
    },
    /// `root.f.g…`: a fact, value or variable and fields read in place, without a node per
    /// field (each step still records a boolean in the coverage, at its span, as a node would).
    Path { root: Box<Node>, steps: Box<[Step]> },
    /// `base[index]`.
    Index(Box<Node>, Box<Node>),
    /// `not e`.
    Not(Box<Node>),
    /// `-e`.
    Neg(Box<Node>),
    /// `and`, `or`, `implies`: short-circuit.
    Logic(BinOp, Box<Node>, Box<Node>),
    /// `a ?? b`.
    Coalesce(Box<Node>, Box<Node>),
    /// Any other binary operator.
    Binary(BinOp, Box<Node>, Box<Node>),
    /// `[a, b]`.
    List(Vec<Node>),
    /// `{ a: e }`: the shape and, in the order written, each field's position and expression.
    Record(Arc<Shape>, Vec<(u32, Node)>),
    /// `done(step)`.
    Done(NodeId),
    /// `date_of(step)`.
    DateOf(NodeId),
    /// `count`, `sum`, … over a list or a comprehension.
    Agg(Agg, Box<Arg>),
    /// `alias.f(args)`: indices of the plugin and function in the model; `plain: false` when
    /// an argument after `args` is a comprehension (an error once `args` are evaluated).
    Plugin {
        plugin: usize,
        function: usize,
        args: Vec<Node>,
        plain: bool,
    },
}

/// One field of a [`Kind::Path`]: the name, its position in the shape the type gives, and the
/// span of the access up to it (the last step's is the path's).
#[derive(Debug)]
pub(crate) struct Step {
    pub name: Arc<str>,
    pub hint: Option<(Arc<Shape>, u32)>,
    pub span: Span,
}

/// The collection functions.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Agg {
    Count,
    Sum,
    Min,
    Max,
    All,
    Any,
    Distinct,
    /// Not a function: evaluated argument, then the error.
    Unknown(String),
}

impl Agg {
    pub fn name(&self) -> &str {
        match self {
            Agg::Count => "count",
            Agg::Sum => "sum",
            Agg::Min => "min",
            Agg::Max => "max",
            Agg::All => "all",
            Agg::Any => "any",
            Agg::Distinct => "distinct",
            Agg::Unknown(f) => f,
        }
    }
}

/// The argument of a collection function.
#[derive(Debug)]
pub(crate) enum Arg {
    /// A list or set.
    Expr(Node),
    /// `element for x in collection where filter`; `element` and `filter` see `x` as local 0.
    Comp {
        element: Option<Node>,
        collection: Node,
        filter: Option<Node>,
        /// The span of the collection (its errors).
        collection_span: Span,
    },
}
