//! Steps and decisions and what they hold: prerequisites, typical durations, data references,
//! outcomes, deadlines and rules. Same conventions as `items.rs`.

use super::Parser;
use crate::syntax::*;
use std::sync::Arc;

impl Parser<'_> {
    /// `step` and `decision`.
    pub(super) fn node(&mut self, kind: NodeKind) -> Option<Node> {
        let start = self.take_word();
        let name = self.ident()?;
        let label = self.string()?;
        self.punct("{")?;
        let mut node = Node::new(kind, name, label, self.tight(start));
        loop {
            match self.peek_word() {
                b"outcome" if kind == NodeKind::Decision => node.outcomes.push(self.outcome()?),
                b"after" => {
                    self.take_word();
                    node.after.push(self.prereq()?);
                }
                b"actors" => {
                    self.take_word();
                    node.actors.push(self.ident()?);
                    while self.eat(",") {
                        node.actors.push(self.ident()?);
                    }
                }
                b"typical" => {
                    // Given twice: pest's builder reports it.
                    if node.typical.is_some() {
                        return None;
                    }
                    node.typical = Some(self.typical()?);
                }
                b"rule" => node.rules.push(self.rule()?),
                b"check" => node.checks.push(self.check()?),
                b"produces" => {
                    self.take_word();
                    let refs = self.data_refs()?;
                    node.produces.extend(refs);
                }
                b"requires" => {
                    self.take_word();
                    let refs = self.data_refs()?;
                    node.requires.extend(refs);
                }
                b"deadline" => node.deadlines.push(self.deadline()?),
                b"before" => {
                    self.take_word();
                    node.before.push(self.ident()?);
                }
                b"optional" => {
                    self.take_word();
                    node.optional = true;
                }
                _ if self.at_attr() => self.attr(&mut node.attrs)?,
                _ => break,
            }
        }
        self.punct("}")?;
        node.span = self.tight(start);
        Some(node)
    }

    /// `prereq = prereq_all | prereq_any | prereq_ref`.
    pub(super) fn prereq(&mut self) -> Option<Prereq> {
        self.enter()?;
        let word = self.peek_word();
        let start = self.pos;
        let prereq = if (word == b"all" || word == b"any") && self.punct_after_word("(") {
            self.take_word();
            self.punct("(")?;
            let mut items = Vec::new();
            if !self.at(")") {
                loop {
                    items.push(self.prereq()?);
                    if !self.eat(",") {
                        break;
                    }
                }
            }
            self.punct(")")?;
            let span = self.tight(start);
            if word == b"all" {
                Prereq::All(items, span)
            } else {
                Prereq::Any(items, span)
            }
        } else {
            Prereq::Ref(self.node_ref()?)
        };
        self.leave();
        Some(prereq)
    }

    /// `prereq_ref = ident ~ ("." ~ ident)?`.
    pub(super) fn node_ref(&mut self) -> Option<NodeRef> {
        self.skip();
        let start = self.pos;
        let node = self.ident()?;
        let outcome = if self.eat(".") {
            Some(self.ident()?)
        } else {
            None
        };
        Some(NodeRef {
            node,
            span: self.span(start, self.rule_end(outcome.is_some())),
            outcome,
        })
    }

    fn typical(&mut self) -> Option<Typical> {
        let start = self.take_word();
        let min = self.small_int()?;
        self.punct("..")?;
        let max = self.small_int()?;
        let unit = self.unit()?;
        Some(Typical {
            min,
            max,
            unit,
            span: self.tight(start),
        })
    }

    /// `data_ref ~ ("," ~ data_ref)*`, each `document name` or a fact path `a.b.c`.
    pub(super) fn data_refs(&mut self) -> Option<Vec<DataRef>> {
        let mut refs = Vec::new();
        loop {
            if self.at_kw("document") && Self::is_ident(self.peek_second_word()) {
                self.take_word();
                refs.push(DataRef::Document(self.ident()?));
            } else {
                let mut path = vec![self.ident()?];
                while self.eat(".") {
                    path.push(self.ident()?);
                }
                refs.push(DataRef::Fact(path));
            }
            if !self.eat(",") {
                return Some(refs);
            }
        }
    }

    /// `outcome = kw_outcome ~ ident ~ string? ~ probability? ~ route?`.
    fn outcome(&mut self) -> Option<Outcome> {
        let start = self.take_word();
        let name = self.ident()?;
        let label = self.optional_string()?;
        let probability = if self.eat_kw("p") {
            Some(self.number()?)
        } else {
            None
        };
        let route = if self.eat("->") {
            Some(self.ident()?)
        } else {
            None
        };
        Some(Outcome {
            name,
            label,
            probability,
            span: self.span(start, self.rule_end(route.is_some())),
            route,
        })
    }

    /// `number = ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)?`, as a probability.
    fn number(&mut self) -> Option<(f64, cpts_diag::Span)> {
        self.skip();
        let start = self.pos;
        let mut len = self.digits_len(start);
        if len == 0 {
            return None;
        }
        if self.bytes.get(start + len) == Some(&b'.') {
            let fraction = self.digits_len(start + len + 1);
            if fraction > 0 {
                len += 1 + fraction;
            }
        }
        self.consume(len);
        let value = self.text[start..self.pos].parse().unwrap_or(f64::NAN);
        Some((value, self.tight(start)))
    }

    /// `deadline = kw_deadline ~ ident? ~ int ~ unit ~ kw_after ~ prereq_ref ~ expiry? ~
    /// tail_attrs`.
    pub(super) fn deadline(&mut self) -> Option<Deadline> {
        let start = self.take_word();
        let name = if self.at_ident() {
            Some(self.ident()?)
        } else {
            None
        };
        let amount = self.small_int()?;
        let unit = self.unit()?;
        self.kw("after")?;
        let after = self.node_ref()?;
        let on_expiry = if self.eat_kw("on") {
            self.kw("expiry")?;
            Some(self.ident()?)
        } else {
            None
        };
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(Deadline {
            name,
            amount,
            unit,
            after,
            on_expiry,
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }

    /// `check = kw_check ~ ident ~ expr ~ tail_attrs`.
    pub(super) fn check(&mut self) -> Option<Check> {
        let start = self.take_word();
        let name = self.ident()?;
        let call = self.expr()?;
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(Check {
            name,
            call: Arc::new(call),
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }

    /// `rule = kw_rule ~ ident ~ severity ~ string ~ kw_expect ~ expr ~ tail_attrs`.
    pub(super) fn rule(&mut self) -> Option<Rule> {
        let start = self.take_word();
        let name = self.ident()?;
        let severity = match self.peek_word() {
            b"error" => RuleSeverity::Error,
            b"warning" => RuleSeverity::Warning,
            b"info" => RuleSeverity::Info,
            _ => return None,
        };
        let severity_start = self.take_word();
        let severity_span = self.tight(severity_start);
        let message = self.string()?;
        self.kw("expect")?;
        let expect = self.expr()?;
        let mut attrs = Attrs::default();
        let exact = self.tail_attrs(&mut attrs)?;
        Some(Rule {
            name,
            severity,
            severity_span,
            message,
            expect: Arc::new(expect),
            attrs,
            span: self.span(start, self.rule_end(exact)),
        })
    }
}
