//! The syntax tree of a `.cpts` file. Every node keeps its span; names are [`Ident`]s so that
//! diagnostics can point at them. The tree is what was written: nothing is resolved here.

use cpts_diag::Span;
use std::sync::Arc;

/// A name as written, with where.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A string literal (label, message, source), unescaped, with its span (quotes included).
#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    /// The unescaped text.
    pub value: String,
    /// Where it was written.
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    /// Top-level items in order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `import "path"`.
    Import(Str),
    /// `enum name { … }`.
    Enum(EnumDecl),
    /// `record name { … }`.
    Record(RecordDecl),
    /// `workflow name "label" { … }`.
    Workflow(Box<Workflow>),
    /// `region name "label" extends workflow { … }`.
    Region(Box<Region>),
}

/// `enum name "label"? { variant "label"?, … }`; also `actors { … }` and `documents { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    /// Its name.
    pub name: Ident,
    /// Optional French label.
    pub label: Option<Str>,
    /// Variants in order.
    pub variants: Vec<Variant>,
    /// The whole declaration.
    pub span: Span,
}

/// One enum variant, actor or document.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Its name.
    pub name: Ident,
    /// Optional French label.
    pub label: Option<Str>,
}

/// `record name { field: type, … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordDecl {
    /// Its name.
    pub name: Ident,
    /// Its fields.
    pub fields: Vec<Field>,
    /// The whole declaration.
    pub span: Span,
}

/// `name: type`.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Field name.
    pub name: Ident,
    /// Field type.
    pub ty: TypeExpr,
}

/// A type as written.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// The shape.
    pub kind: TypeExprKind,
    /// True when followed by `?`.
    pub optional: bool,
    /// Where.
    pub span: Span,
}

/// The shapes of written types.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExprKind {
    /// A builtin (`int`, `text`, …), enum or record name.
    Named(Ident),
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `set<T>`.
    Set(Box<TypeExpr>),
    /// `{ field: T, … }`.
    Record(Vec<Field>),
}

/// Attributes shared by normative items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attrs {
    /// `source "…"`: the legal or conventional reference.
    pub source: Option<Str>,
    /// `uncertain "…"`: why the value is not settled.
    pub uncertain: Option<Str>,
    /// `since "version"`.
    pub since: Option<Str>,
    /// `until "version"`.
    pub until: Option<Str>,
}

/// `workflow name "label" { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Workflow {
    /// Its name (what regions extend).
    pub name: Ident,
    /// French label.
    pub label: Str,
    /// Declared versions, oldest first.
    pub versions: Vec<VersionDecl>,
    /// Workflow-level attributes (its `source`).
    pub attrs: Attrs,
    /// `end "label"? after …`: when the workflow is complete (one per version at most).
    pub ends: Vec<End>,
    /// Everything else.
    pub body: Body,
    /// The whole workflow.
    pub span: Span,
}

/// `end "label"? after prereq`.
#[derive(Clone, Debug, PartialEq)]
pub struct End {
    /// Optional label.
    pub label: Option<Str>,
    /// What must be done for the workflow to be complete.
    pub after: Prereq,
    /// `since`/`until` (a `source` is allowed but not required).
    pub attrs: Attrs,
    /// Where.
    pub span: Span,
}

/// The declarations a workflow or region holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    /// `actors { … }` blocks.
    pub actors: Vec<EnumDecl>,
    /// `documents { … }` blocks.
    pub documents: Vec<EnumDecl>,
    /// `facts { … }` blocks.
    pub facts: Vec<Field>,
    /// Local enums.
    pub enums: Vec<EnumDecl>,
    /// Local records.
    pub records: Vec<RecordDecl>,
    /// Parameters.
    pub params: Vec<Param>,
    /// Computed values.
    pub values: Vec<ValueDecl>,
    /// Steps and decisions in order.
    pub nodes: Vec<Node>,
    /// Rules not tied to a step.
    pub rules: Vec<Rule>,
    /// Plugin validation checks.
    pub checks: Vec<Check>,
}

/// `version "id" "label"? attrs`.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionDecl {
    /// The id projects pin.
    pub id: Str,
    /// Optional label.
    pub label: Option<Str>,
    /// Its source.
    pub attrs: Attrs,
    /// The declaration.
    pub span: Span,
}

/// `param name "label"?: type = value attrs (= value attrs)*`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Its name.
    pub name: Ident,
    /// Optional label.
    pub label: Option<Str>,
    /// Declared type.
    pub ty: TypeExpr,
    /// Values, each possibly from a version on.
    pub values: Vec<ParamValue>,
    /// The declaration.
    pub span: Span,
}

/// One `= expr attrs` of a parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamValue {
    /// The value (shared with the models built from it, not copied).
    pub expr: Arc<Expr>,
    /// `source`, `uncertain`, `since`.
    pub attrs: Attrs,
    /// From `=` to the end of the attributes.
    pub span: Span,
}

/// `value name "label"?: type = expr attrs`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueDecl {
    /// Its name.
    pub name: Ident,
    /// Optional label.
    pub label: Option<Str>,
    /// Declared type.
    pub ty: TypeExpr,
    /// How it is computed (shared with the models built from it).
    pub expr: Arc<Expr>,
    /// Its source.
    pub attrs: Attrs,
    /// The declaration.
    pub span: Span,
}

/// Whether a node is a plain step or a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// `step`.
    Step,
    /// `decision`.
    Decision,
}

/// A step or decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Step or decision.
    pub kind: NodeKind,
    /// Its name.
    pub name: Ident,
    /// French label.
    pub label: Str,
    /// `after …` clauses (several are combined as all-of).
    pub after: Vec<Prereq>,
    /// `before x` (overlays only).
    pub before: Vec<Ident>,
    /// Actors.
    pub actors: Vec<Ident>,
    /// `typical min..max unit`.
    pub typical: Option<Typical>,
    /// What it produces.
    pub produces: Vec<DataRef>,
    /// What it requires.
    pub requires: Vec<DataRef>,
    /// Outcomes (decisions only).
    pub outcomes: Vec<Outcome>,
    /// Deadlines.
    pub deadlines: Vec<Deadline>,
    /// Rules checked before the step can be done.
    pub rules: Vec<Rule>,
    /// Plugin validation checks.
    pub checks: Vec<Check>,
    /// `source`, `since`, `until`.
    pub attrs: Attrs,
    /// `optional`: the process may skip it.
    pub optional: bool,
    /// The whole node.
    pub span: Span,
}

/// A prerequisite.
#[derive(Clone, Debug, PartialEq)]
pub enum Prereq {
    /// `step` or `decision.outcome`.
    Ref(NodeRef),
    /// `all(…)`.
    All(Vec<Prereq>, Span),
    /// `any(…)`.
    Any(Vec<Prereq>, Span),
}

/// `step` or `decision.outcome`.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeRef {
    /// The step or decision.
    pub node: Ident,
    /// The outcome, for decisions.
    pub outcome: Option<Ident>,
    /// The whole reference.
    pub span: Span,
}

/// Duration units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Calendar days.
    Days,
    /// Working days (French calendar).
    WorkingDays,
    /// Weeks.
    Weeks,
    /// Calendar months.
    Months,
    /// Years.
    Years,
}

impl Unit {
    /// `amount` with the unit, singular or plural: `1 month`, `6 months`.
    pub fn quantity(self, amount: impl Into<i64>) -> String {
        let amount = amount.into();
        let word = match (self, amount == 1) {
            (Unit::Days, true) => "day",
            (Unit::WorkingDays, true) => "working day",
            (Unit::Weeks, true) => "week",
            (Unit::Months, true) => "month",
            (Unit::Years, true) => "year",
            (unit, false) => unit.keyword(),
        };
        format!("{amount} {word}")
    }

    /// The keyword as written in rules.
    pub fn keyword(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::WorkingDays => "working days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
            Unit::Years => "years",
        }
    }
}

/// `typical min..max unit`.
#[derive(Clone, Debug, PartialEq)]
pub struct Typical {
    /// Shortest typical duration.
    pub min: u32,
    /// Longest typical duration.
    pub max: u32,
    /// Unit of both.
    pub unit: Unit,
    /// Where.
    pub span: Span,
}

/// A document or fact path in `produces` / `requires`.
#[derive(Clone, Debug, PartialEq)]
pub enum DataRef {
    /// `document name`.
    Document(Ident),
    /// `a.b.c`.
    Fact(Vec<Ident>),
}

/// `outcome name "label"? p 0.9 -> step`.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Its name.
    pub name: Ident,
    /// Optional label.
    pub label: Option<Str>,
    /// Probability, as written, with its span.
    pub probability: Option<(f64, Span)>,
    /// Loop back to this step.
    pub route: Option<Ident>,
    /// Where.
    pub span: Span,
}

/// `deadline name? n unit after event (on expiry outcome)? attrs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Deadline {
    /// Optional name.
    pub name: Option<Ident>,
    /// How many units.
    pub amount: u32,
    /// Unit.
    pub unit: Unit,
    /// The event the clock starts at.
    pub after: NodeRef,
    /// Outcome taken automatically on expiry (decisions only).
    pub on_expiry: Option<Ident>,
    /// Its source.
    pub attrs: Attrs,
    /// Where.
    pub span: Span,
}

/// Rule severities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleSeverity {
    /// `info`.
    Info,
    /// `warning`.
    Warning,
    /// `error`.
    Error,
}

impl RuleSeverity {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            RuleSeverity::Info => "info",
            RuleSeverity::Warning => "warning",
            RuleSeverity::Error => "error",
        }
    }
}

/// `rule id severity "message" expect expr attrs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Its id.
    pub name: Ident,
    /// Severity when violated.
    pub severity: RuleSeverity,
    /// Where the severity keyword is.
    pub severity_span: Span,
    /// French message.
    pub message: Str,
    /// The condition that must hold (shared with the models built from it, not copied into
    /// each).
    pub expect: Arc<Expr>,
    /// Its source.
    pub attrs: Attrs,
    /// Where.
    pub span: Span,
}

/// `check name alias.function(args…)`: a plugin validation function whose findings are verdicts.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// Its id, like a rule's.
    pub name: Ident,
    /// The call of the validation function (shared with the models built from it).
    pub call: Arc<Expr>,
    /// Its source.
    pub attrs: Attrs,
    /// Where.
    pub span: Span,
}

/// `region name "label" extends workflow versions …? { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Its name.
    pub name: Ident,
    /// French label.
    pub label: Str,
    /// The workflow it extends.
    pub extends: Ident,
    /// The versions it applies to (empty: all).
    pub versions: Vec<Str>,
    /// The region's own version.
    pub version: Option<VersionDecl>,
    /// Region-level attributes.
    pub attrs: Attrs,
    /// Declared plugins.
    pub plugins: Vec<Plugin>,
    /// New declarations.
    pub body: Body,
    /// Changes to existing steps.
    pub tightens: Vec<Tighten>,
    /// Parameter overrides.
    pub param_overrides: Vec<ParamOverride>,
    /// Rule overrides.
    pub rule_overrides: Vec<Rule>,
    /// Dropped rules.
    pub drops: Vec<DropRule>,
    /// The whole region.
    pub span: Span,
}

/// `plugin alias "name" version "req" { fn … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Plugin {
    /// How rules call it.
    pub alias: Ident,
    /// The plugin's package name.
    pub package: Str,
    /// Version requirement.
    pub version: Str,
    /// Declared functions.
    pub functions: Vec<PluginFn>,
    /// Where.
    pub span: Span,
}

/// `fn name(param: type, …) -> type`.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginFn {
    /// Its name.
    pub name: Ident,
    /// Parameters.
    pub params: Vec<Field>,
    /// Return type.
    pub ret: TypeExpr,
    /// Where.
    pub span: Span,
}

/// `tighten step { rule … requires … deadline … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tighten {
    /// The existing step.
    pub target: Ident,
    /// Added rules.
    pub rules: Vec<Rule>,
    /// Plugin validation checks.
    pub checks: Vec<Check>,
    /// Added requirements.
    pub requires: Vec<DataRef>,
    /// Added deadlines.
    pub deadlines: Vec<Deadline>,
    /// Its source.
    pub attrs: Attrs,
    /// Where.
    pub span: Span,
}

/// `override param name = value …`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamOverride {
    /// The national parameter.
    pub target: Ident,
    /// The region's values.
    pub values: Vec<ParamValue>,
    /// Where.
    pub span: Span,
}

/// `drop rule id attrs`.
#[derive(Clone, Debug, PartialEq)]
pub struct DropRule {
    /// The national rule.
    pub target: Ident,
    /// Why (source).
    pub attrs: Attrs,
    /// Where.
    pub span: Span,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// The shape.
    pub kind: ExprKind,
    /// Where.
    pub span: Span,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `implies`.
    Implies,
    /// `or`.
    Or,
    /// `and`.
    And,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
    /// `??`.
    Coalesce,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Rem,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Implies => "implies",
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Coalesce => "??",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }
}

/// Expression shapes.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer.
    Int(i64),
    /// A decimal, kept as written so that no precision is lost.
    Decimal(String),
    /// A string.
    Text(String),
    /// `true` / `false`.
    Bool(bool),
    /// `none`.
    None,
    /// A date `YYYY-MM-DD`.
    Date {
        /// Year.
        year: i32,
        /// Month 1–12.
        month: u32,
        /// Day 1–31.
        day: u32,
    },
    /// `n unit`.
    Duration(i64, Unit),
    /// `today`.
    Today,
    /// A name.
    Name(Ident),
    /// `a.b`.
    Member(Box<Expr>, Ident),
    /// `a[i]`.
    Index(Box<Expr>, Box<Expr>),
    /// `not e`.
    Not(Box<Expr>),
    /// `-e`.
    Neg(Box<Expr>),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{ a: e }`.
    Record(Vec<(Ident, Expr)>),
    /// `f(args)` or `plugin.f(args)`.
    Call(Call),
}

/// A function call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The plugin alias for `alias.f(…)`.
    pub plugin: Option<Ident>,
    /// The function.
    pub function: Ident,
    /// Arguments.
    pub args: Vec<Arg>,
}

/// A call argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A plain expression.
    Expr(Expr),
    /// `x in coll where pred` or `e for x in coll where filter`.
    Comprehension(Comprehension),
}

/// `e for x in coll where filter`; the short form `x in coll where pred` has `element: None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    /// The mapped expression (`None`: the element itself).
    pub element: Option<Box<Expr>>,
    /// The bound variable.
    pub var: Ident,
    /// The collection.
    pub collection: Box<Expr>,
    /// The `where` clause.
    pub filter: Option<Box<Expr>>,
    /// Where.
    pub span: Span,
}

impl Node {
    /// A node with nothing but its kind, name, label and span: the parsers fill in the rest.
    pub fn new(kind: NodeKind, name: Ident, label: Str, span: Span) -> Node {
        Node {
            kind,
            name,
            label,
            after: Vec::new(),
            before: Vec::new(),
            actors: Vec::new(),
            typical: None,
            produces: Vec::new(),
            requires: Vec::new(),
            outcomes: Vec::new(),
            deadlines: Vec::new(),
            rules: Vec::new(),
            checks: Vec::new(),
            attrs: Attrs::default(),
            optional: false,
            span,
        }
    }
}

impl Region {
    /// A region with nothing but its header: the parsers fill in the rest.
    pub fn new(name: Ident, label: Str, extends: Ident, span: Span) -> Region {
        Region {
            name,
            label,
            extends,
            versions: Vec::new(),
            version: None,
            attrs: Attrs::default(),
            plugins: Vec::new(),
            body: Body::default(),
            tightens: Vec::new(),
            param_overrides: Vec::new(),
            rule_overrides: Vec::new(),
            drops: Vec::new(),
            span,
        }
    }
}
