//! Text → syntax tree. Parsing never fails: it returns the tree of every top-level item it could
//! read and a diagnostic for each one it could not (see [`recover`]).

mod errors;
mod fast;
mod recover;

use crate::syntax::*;
use cpts_diag::{Diagnostic, FileId, Span, codes};
use pest::Parser;
use pest::iterators::Pair;
use std::sync::Arc;

mod grammar {
    #![allow(missing_docs)]
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar.pest"]
    pub(crate) struct Grammar;
}
pub(crate) use grammar::{Grammar, Rule};

/// The name of the top-level item that a syntax error at `offset` made the parser skip, so that
/// references to it are not reported as unknown (one mistake, one diagnostic).
pub(crate) fn broken_item_name(text: &str, offset: usize) -> Option<String> {
    let (start, _) = recover::item_range(text, offset);
    let header = text[start..].split_whitespace().take(2).collect::<Vec<_>>();
    match header.as_slice() {
        [kw, name] if ["enum", "record", "workflow", "region"].contains(kw) => Some(
            name.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
                .to_owned(),
        ),
        _ => None,
    }
}

/// Parses one file. Syntax errors skip the top-level item they occur in; the other items are kept.
///
/// A file without errors takes the fast path (`parse/fast`); anything else (or anything the fast
/// parser is unsure of) goes through pest, which gives the diagnostics and the recovery. Both
/// build the same tree.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    match fast::parse(file, text) {
        Some(tree) => (tree, Vec::new()),
        None => parse_with_pest(file, text),
    }
}

/// [`parse`] through the pest grammar only: the reference the fast path is tested against (here
/// and by the `parse` fuzz target). Slower; callers want [`parse`].
pub fn parse_with_pest(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let (tree, mut diagnostics) = parse_recovering(file, text);
    // Recovery blanks broken items out byte by byte, so a later error may fall inside a character
    // of the original text: widen every span to whole characters.
    for d in &mut diagnostics {
        if let Some(span) = &mut d.span {
            let (start, end) = whole_chars(text, span.start as usize, span.end as usize);
            *span = Span::new(file, start, end);
        }
    }
    (tree, diagnostics)
}

/// `start..end` widened to character boundaries of `text` (and kept inside it).
fn whole_chars(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

fn parse_recovering(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut text = text.to_owned();
    // Each failed attempt blanks the broken item out and tries again; items only shrink.
    for _ in 0..64 {
        match Grammar::parse(Rule::file, &text) {
            Ok(mut pairs) => {
                let mut builder = Builder {
                    file,
                    diagnostics: &mut diagnostics,
                };
                let tree = builder.file(pairs.next().expect("the file rule always yields a pair"));
                return (tree, diagnostics);
            }
            Err(error) => {
                let offset = errors::offset(&error);
                diagnostics.push(errors::to_diagnostic(file, &text, &error));
                if !recover::blank_item_at(&mut text, offset) {
                    break;
                }
            }
        }
    }
    (File::default(), diagnostics)
}

struct Builder<'d> {
    file: FileId,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Builder<'_> {
    /// The pair's span, without the whitespace pest skipped while trying optional parts at its end.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let trimmed = s.as_str().trim_end().len();
        Span::new(self.file, s.start(), s.start() + trimmed)
    }

    fn file(&mut self, pair: Pair<Rule>) -> File {
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::import => items.push(Item::Import(self.string(inner(p).nth(1).unwrap()))),
                Rule::enum_decl => items.push(Item::Enum(self.enum_decl(p))),
                Rule::record_decl => items.push(Item::Record(self.record_decl(p))),
                Rule::workflow => items.push(Item::Workflow(Box::new(self.workflow(p)))),
                Rule::region => items.push(Item::Region(Box::new(self.region(p)))),
                _ => {}
            }
        }
        File { items }
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_owned(),
            span: self.span(&pair),
        }
    }

    fn string(&mut self, pair: Pair<Rule>) -> Str {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |p| p.as_str());
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((at, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                other => {
                    let shown = other.map_or(String::new(), |(_, c)| c.to_string());
                    // The escape itself: the string's text starts one byte after the quote.
                    let start = span.start as usize + 1 + at;
                    let escape = Span::new(self.file, start, start + 1 + shown.len());
                    self.diagnostics.push(
                        Diagnostic::new(
                            &codes::INVALID_LITERAL,
                            format!("unknown escape `\\{shown}` in string"),
                        )
                        .at_with(escape, "unknown escape")
                        .help("supported escapes are `\\\"`, `\\\\`, `\\n` and `\\t`"),
                    );
                }
            }
        }
        Str { value, span }
    }

    fn int(&mut self, pair: Pair<Rule>) -> i64 {
        let digits: String = pair.as_str().chars().filter(|c| *c != '_').collect();
        digits.parse().unwrap_or_else(|_| {
            let d = Diagnostic::new(&codes::INVALID_LITERAL, "integer too large")
                .at_with(self.span(&pair), "does not fit in 64 bits")
                .help("integers must fit in 64 bits");
            self.diagnostics.push(d);
            0
        })
    }

    fn small_int(&mut self, pair: Pair<Rule>) -> u32 {
        let span = self.span(&pair);
        let value = self.int(pair);
        u32::try_from(value).unwrap_or_else(|_| {
            let d = Diagnostic::new(
                &codes::INVALID_LITERAL,
                "number out of range for a duration",
            )
            .at_with(span, "too large")
            .help("durations count at most 4294967295 units");
            self.diagnostics.push(d);
            0
        })
    }

    fn enum_decl(&mut self, pair: Pair<Rule>) -> EnumDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut label = None;
        let mut variants = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(p)),
                Rule::string => label = Some(self.string(p)),
                Rule::variants => variants = self.variants(p),
                _ => {}
            }
        }
        let name = name.unwrap_or_else(|| Ident {
            name: String::new(),
            span,
        });
        EnumDecl {
            name,
            label,
            variants,
            span,
        }
    }

    /// `actors { … }` / `documents { … }`: an enum whose name is the keyword.
    fn keyword_enum(&mut self, pair: Pair<Rule>, name: &str) -> EnumDecl {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let kw = it.next().unwrap();
        let name = Ident {
            name: name.to_owned(),
            span: self.span(&kw),
        };
        let variants = it.next().map(|p| self.variants(p)).unwrap_or_default();
        EnumDecl {
            name,
            label: None,
            variants,
            span,
        }
    }

    fn variants(&mut self, pair: Pair<Rule>) -> Vec<Variant> {
        pair.into_inner()
            .map(|v| {
                let mut it = v.into_inner();
                let name = self.ident(it.next().unwrap());
                let label = it.next().map(|p| self.string(p));
                Variant { name, label }
            })
            .collect()
    }

    fn record_decl(&mut self, pair: Pair<Rule>) -> RecordDecl {
        let span = self.span(&pair);
        let mut it = inner(pair);
        let name = self.ident(it.nth(1).unwrap());
        let fields = self.fields(it.next().unwrap());
        RecordDecl { name, fields, span }
    }

    fn fields(&mut self, pair: Pair<Rule>) -> Vec<Field> {
        pair.into_inner().map(|f| self.field(f)).collect()
    }

    fn field(&mut self, pair: Pair<Rule>) -> Field {
        let mut it = pair.into_inner();
        let name = self.ident(it.next().unwrap());
        let ty = self.ty(it.next().unwrap());
        Field { name, ty }
    }

    fn ty(&mut self, pair: Pair<Rule>) -> TypeExpr {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let shape = it.next().unwrap();
        let optional = it.next().is_some();
        let kind = match shape.as_rule() {
            Rule::list_type => TypeExprKind::List(Box::new(self.ty(inner(shape).nth(1).unwrap()))),
            Rule::set_type => TypeExprKind::Set(Box::new(self.ty(inner(shape).nth(1).unwrap()))),
            Rule::record_type => TypeExprKind::Record(self.fields(shape)),
            _ => TypeExprKind::Named(self.ident(shape.into_inner().next().unwrap())),
        };
        TypeExpr {
            kind,
            optional,
            span,
        }
    }

    fn attr(&mut self, pair: Pair<Rule>, attrs: &mut Attrs) -> bool {
        let slot = match pair.as_rule() {
            Rule::source => &mut attrs.source,
            Rule::uncertain => &mut attrs.uncertain,
            Rule::since => &mut attrs.since,
            Rule::until => &mut attrs.until,
            _ => return false,
        };
        let mut parts = inner(pair);
        let keyword = parts.next().unwrap();
        let s = self.string(parts.next().unwrap());
        if let Some(previous) = slot {
            let d = Diagnostic::new(
                &codes::DUPLICATE_DEFINITION,
                format!("`{}` is given twice", keyword.as_str()),
            )
            .at_with(s.span, "given again here")
            .label(previous.span, "first given here")
            .help("keep one; join several references in one string, separated by ` ; `");
            self.diagnostics.push(d);
            return true;
        }
        *slot = Some(s);
        true
    }

    fn workflow(&mut self, pair: Pair<Rule>) -> Workflow {
        let span = self.span(&pair);
        let mut it = inner(pair);
        let name = self.ident(it.nth(1).unwrap());
        let label = self.string(it.next().unwrap());
        let mut wf = Workflow {
            name,
            label,
            versions: Vec::new(),
            attrs: Attrs::default(),
            ends: Vec::new(),
            body: Body::default(),
            span,
        };
        for p in it {
            if p.as_rule() == Rule::end_decl {
                let end = self.end(p);
                wf.ends.push(end);
            } else if p.as_rule() == Rule::version_decl {
                let v = self.version_decl(p);
                wf.versions.push(v);
            } else if !self.attr(p.clone(), &mut wf.attrs) {
                self.body_item(p, &mut wf.body);
            }
        }
        wf
    }

    fn end(&mut self, pair: Pair<Rule>) -> End {
        let span = self.span(&pair);
        let mut label = None;
        let mut after = None;
        let mut attrs = Attrs::default();
        for p in inner(pair).skip(1) {
            match p.as_rule() {
                Rule::string => label = Some(self.string(p)),
                Rule::kw_after => {}
                Rule::prereq_all | Rule::prereq_any | Rule::prereq_ref => {
                    after = Some(self.prereq(p))
                }
                _ => {
                    self.attr(p, &mut attrs);
                }
            }
        }
        End {
            label,
            after: after.unwrap(),
            attrs,
            span,
        }
    }

    fn version_decl(&mut self, pair: Pair<Rule>) -> VersionDecl {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let id = self.string(it.next().unwrap());
        let mut label = None;
        let mut attrs = Attrs::default();
        for p in it {
            if p.as_rule() == Rule::string {
                label = Some(self.string(p));
            } else {
                self.attr(p, &mut attrs);
            }
        }
        VersionDecl {
            id,
            label,
            attrs,
            span,
        }
    }

    /// Declarations common to workflows and regions. Returns false for anything else.
    fn body_item(&mut self, p: Pair<Rule>, body: &mut Body) -> bool {
        match p.as_rule() {
            Rule::actors_decl => body.actors.push(self.keyword_enum(p, "actors")),
            Rule::documents_decl => body.documents.push(self.keyword_enum(p, "document")),
            Rule::facts_decl => {
                let fields = self.fields(inner(p).nth(1).unwrap());
                body.facts.extend(fields);
            }
            Rule::enum_decl => body.enums.push(self.enum_decl(p)),
            Rule::record_decl => body.records.push(self.record_decl(p)),
            Rule::param => body.params.push(self.param(p)),
            Rule::value_decl => body.values.push(self.value_decl(p)),
            Rule::step => body.nodes.push(self.node(p, NodeKind::Step)),
            Rule::decision => body.nodes.push(self.node(p, NodeKind::Decision)),
            Rule::rule => body.rules.push(self.rule(p)),
            Rule::check => body.checks.push(self.check(p)),
            _ => return false,
        }
        true
    }

    fn param(&mut self, pair: Pair<Rule>) -> Param {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let name = self.ident(it.next().unwrap());
        let mut label = None;
        let mut ty = None;
        let mut values = Vec::new();
        for p in it {
            match p.as_rule() {
                Rule::string => label = Some(self.string(p)),
                Rule::ty => ty = Some(self.ty(p)),
                Rule::param_value => values.push(self.param_value(p)),
                _ => {}
            }
        }
        Param {
            name,
            label,
            ty: ty.unwrap(),
            values,
            span,
        }
    }

    fn param_value(&mut self, pair: Pair<Rule>) -> ParamValue {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let expr = self.expr(it.next().unwrap());
        let mut attrs = Attrs::default();
        for p in it {
            self.attr(p, &mut attrs);
        }
        ParamValue {
            expr: Arc::new(expr),
            attrs,
            span,
        }
    }

    fn value_decl(&mut self, pair: Pair<Rule>) -> ValueDecl {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let name = self.ident(it.next().unwrap());
        let mut label = None;
        let mut ty = None;
        let mut expr = None;
        let mut attrs = Attrs::default();
        for p in it {
            match p.as_rule() {
                Rule::string => label = Some(self.string(p)),
                Rule::ty => ty = Some(self.ty(p)),
                Rule::expr => expr = Some(self.expr(p)),
                _ => {
                    self.attr(p, &mut attrs);
                }
            }
        }
        ValueDecl {
            name,
            label,
            ty: ty.unwrap(),
            expr: Arc::new(expr.unwrap()),
            attrs,
            span,
        }
    }

    fn node(&mut self, pair: Pair<Rule>, kind: NodeKind) -> Node {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let name = self.ident(it.next().unwrap());
        let label = self.string(it.next().unwrap());
        let mut node = Node::new(kind, name, label, span);
        for p in it {
            match p.as_rule() {
                Rule::optional_step => node.optional = true,
                Rule::after => node.after.push(self.prereq(inner(p).nth(1).unwrap())),
                Rule::before => node.before.push(self.ident(inner(p).nth(1).unwrap())),
                Rule::actors => node.actors.extend(inner(p).skip(1).map(|a| self.ident(a))),
                Rule::typical => {
                    let typical = self.typical(p);
                    if let Some(previous) = &node.typical {
                        let d = Diagnostic::new(
                            &codes::DUPLICATE_DEFINITION,
                            "`typical` is given twice",
                        )
                        .at_with(typical.span, "given again here")
                        .label(previous.span, "first given here")
                        .help("a step has one typical duration range");
                        self.diagnostics.push(d);
                    } else {
                        node.typical = Some(typical);
                    }
                }
                Rule::produces => node.produces.extend(self.data_refs(p)),
                Rule::requires => node.requires.extend(self.data_refs(p)),
                Rule::outcome => node.outcomes.push(self.outcome(p)),
                Rule::deadline => node.deadlines.push(self.deadline(p)),
                Rule::rule => node.rules.push(self.rule(p)),
                Rule::check => node.checks.push(self.check(p)),
                _ => {
                    self.attr(p, &mut node.attrs);
                }
            }
        }
        node
    }

    fn prereq(&mut self, pair: Pair<Rule>) -> Prereq {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::prereq_all => {
                Prereq::All(inner(pair).skip(1).map(|p| self.prereq(p)).collect(), span)
            }
            Rule::prereq_any => {
                Prereq::Any(inner(pair).skip(1).map(|p| self.prereq(p)).collect(), span)
            }
            _ => Prereq::Ref(self.node_ref(pair)),
        }
    }

    fn node_ref(&mut self, pair: Pair<Rule>) -> NodeRef {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let node = self.ident(it.next().unwrap());
        let outcome = it.next().map(|p| self.ident(p));
        NodeRef {
            node,
            outcome,
            span,
        }
    }

    fn typical(&mut self, pair: Pair<Rule>) -> Typical {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let min = self.small_int(it.next().unwrap());
        let max = self.small_int(it.next().unwrap());
        let unit = unit(it.next().unwrap());
        Typical {
            min,
            max,
            unit,
            span,
        }
    }

    fn data_refs(&mut self, pair: Pair<Rule>) -> Vec<DataRef> {
        inner(pair)
            .skip(1)
            .map(|p| match p.as_rule() {
                Rule::document_ref => DataRef::Document(self.ident(inner(p).nth(1).unwrap())),
                _ => DataRef::Fact(p.into_inner().map(|i| self.ident(i)).collect()),
            })
            .collect()
    }

    fn outcome(&mut self, pair: Pair<Rule>) -> Outcome {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let name = self.ident(it.next().unwrap());
        let mut outcome = Outcome {
            name,
            label: None,
            probability: None,
            route: None,
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::string => outcome.label = Some(self.string(p)),
                Rule::probability => {
                    let n = inner(p).nth(1).unwrap();
                    let value = n.as_str().parse().unwrap_or(f64::NAN);
                    outcome.probability = Some((value, self.span(&n)));
                }
                Rule::route => outcome.route = Some(self.ident(p.into_inner().next().unwrap())),
                _ => {}
            }
        }
        outcome
    }

    fn deadline(&mut self, pair: Pair<Rule>) -> Deadline {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1).peekable();
        let name = match it.peek().map(|p| p.as_rule()) {
            Some(Rule::ident) => Some(self.ident(it.next().unwrap())),
            _ => None,
        };
        let amount = self.small_int(it.next().unwrap());
        let unit = unit(it.next().unwrap());
        it.next(); // `after`
        let after = self.node_ref(it.next().unwrap());
        let mut deadline = Deadline {
            name,
            amount,
            unit,
            after,
            on_expiry: None,
            attrs: Attrs::default(),
            span,
        };
        for p in it {
            if p.as_rule() == Rule::expiry {
                deadline.on_expiry = Some(self.ident(inner(p).nth(2).unwrap()));
            } else {
                self.attr(p, &mut deadline.attrs);
            }
        }
        deadline
    }

    fn check(&mut self, pair: Pair<Rule>) -> Check {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let name = self.ident(it.next().unwrap());
        let call = self.expr(it.next().unwrap());
        let mut attrs = Attrs::default();
        for p in it {
            self.attr(p, &mut attrs);
        }
        Check {
            name,
            call: Arc::new(call),
            attrs,
            span,
        }
    }

    fn rule(&mut self, pair: Pair<Rule>) -> Rule_ {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let name = self.ident(it.next().unwrap());
        let sev = it.next().unwrap();
        let severity_span = self.span(&sev);
        let severity = match sev.as_str() {
            "error" => RuleSeverity::Error,
            "warning" => RuleSeverity::Warning,
            _ => RuleSeverity::Info,
        };
        let message = self.string(it.next().unwrap());
        it.next(); // `expect`
        let expect = self.expr(it.next().unwrap());
        let mut attrs = Attrs::default();
        for p in it {
            self.attr(p, &mut attrs);
        }
        Rule_ {
            name,
            severity,
            severity_span,
            message,
            expect: Arc::new(expect),
            attrs,
            span,
        }
    }

    fn region(&mut self, pair: Pair<Rule>) -> Region {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let name = self.ident(it.next().unwrap());
        let label = self.string(it.next().unwrap());
        it.next(); // `extends`
        let extends = self.ident(it.next().unwrap());
        let mut region = Region::new(name, label, extends, span);
        for p in it {
            match p.as_rule() {
                Rule::versions => {
                    region.versions = inner(p).skip(1).map(|s| self.string(s)).collect()
                }
                Rule::version_decl => region.version = Some(self.version_decl(p)),
                Rule::plugin => region.plugins.push(self.plugin(p)),
                Rule::tighten => region.tightens.push(self.tighten(p)),
                Rule::override_param => {
                    let span = self.span(&p);
                    let mut it = inner(p).skip(2);
                    let target = self.ident(it.next().unwrap());
                    let values = it.map(|v| self.param_value(v)).collect();
                    region.param_overrides.push(ParamOverride {
                        target,
                        values,
                        span,
                    });
                }
                Rule::override_rule => {
                    let rule = self.rule(inner(p).nth(1).unwrap());
                    region.rule_overrides.push(rule);
                }
                Rule::drop_rule => {
                    let span = self.span(&p);
                    let mut it = inner(p).skip(2);
                    let target = self.ident(it.next().unwrap());
                    let mut attrs = Attrs::default();
                    for a in it {
                        self.attr(a, &mut attrs);
                    }
                    region.drops.push(DropRule {
                        target,
                        attrs,
                        span,
                    });
                }
                _ => {
                    if !self.attr(p.clone(), &mut region.attrs) {
                        self.body_item(p, &mut region.body);
                    }
                }
            }
        }
        region
    }

    fn plugin(&mut self, pair: Pair<Rule>) -> Plugin {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let alias = self.ident(it.next().unwrap());
        let package = self.string(it.next().unwrap());
        it.next(); // `version`
        let version = self.string(it.next().unwrap());
        let functions = it
            .map(|f| {
                let span = self.span(&f);
                let mut parts = inner(f).skip(1);
                let name = self.ident(parts.next().unwrap());
                let mut params = Vec::new();
                let mut ret = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::fn_param => params.push(self.field(p)),
                        _ => ret = Some(self.ty(p)),
                    }
                }
                PluginFn {
                    name,
                    params,
                    ret: ret.unwrap(),
                    span,
                }
            })
            .collect();
        Plugin {
            alias,
            package,
            version,
            functions,
            span,
        }
    }

    fn tighten(&mut self, pair: Pair<Rule>) -> Tighten {
        let span = self.span(&pair);
        let mut it = inner(pair).skip(1);
        let target = self.ident(it.next().unwrap());
        let mut t = Tighten {
            target,
            rules: Vec::new(),
            checks: Vec::new(),
            requires: Vec::new(),
            deadlines: Vec::new(),
            attrs: Attrs::default(),
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::rule => t.rules.push(self.rule(p)),
                Rule::check => t.checks.push(self.check(p)),
                Rule::requires => t.requires.extend(self.data_refs(p)),
                Rule::deadline => t.deadlines.push(self.deadline(p)),
                _ => {
                    self.attr(p, &mut t.attrs);
                }
            }
        }
        t
    }
}

type Rule_ = crate::syntax::Rule;

/// Children of a pair, keywords included (they are real pairs in this grammar).
fn inner(pair: Pair<Rule>) -> pest::iterators::Pairs<Rule> {
    pair.into_inner()
}

fn unit(pair: Pair<Rule>) -> Unit {
    match pair.into_inner().next().map(|p| p.as_rule()) {
        Some(Rule::working_days) => Unit::WorkingDays,
        Some(Rule::weeks) => Unit::Weeks,
        Some(Rule::months) => Unit::Months,
        Some(Rule::years) => Unit::Years,
        _ => Unit::Days,
    }
}

mod expr;
pub(crate) use expr::skip_blank;
