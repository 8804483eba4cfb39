//! Unit tests: the layout of each construct and the place of comments. Each expected text is
//! also checked to be its own layout (formatting is idempotent).

use super::*;

/// `text` formatted; the result must format to itself.
fn fmt(text: &str) -> String {
    let once = format(FileId(0), text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let twice = format(FileId(0), &once).unwrap();
    assert_eq!(once, twice, "not idempotent on:\n{text}");
    once
}

/// Formats the body of a workflow.
fn in_workflow(body: &str) -> String {
    fmt(&format!("workflow w \"W\" {{ {body} }}"))
}

fn workflow(lines: &str) -> String {
    format!("workflow w \"W\" {{\n{lines}}}\n")
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("  \n\n"), "");
    assert_eq!(fmt("// only\n\n\n/* two */"), "// only\n\n/* two */\n");
}

#[test]
fn imports_enums_and_records() {
    assert_eq!(
        fmt(
            "import   \"a.cpts\" enum e \"E\" { x \"X\", longer, yy \"Y\" } record r{a:int,b:list<set<text>>?}"
        ),
        "import \"a.cpts\"\nenum e \"E\" {\n  x  \"X\",\n  longer,\n  yy \"Y\",\n}\nrecord r {\n  a: int,\n  b: list<set<text>>?,\n}\n"
    );
    assert_eq!(fmt("enum e {}\nrecord r {}"), "enum e {}\nrecord r {}\n");
}

#[test]
fn nested_record_types_stay_on_one_line_when_they_fit() {
    let long = "x".repeat(90);
    assert_eq!(
        fmt(&format!(
            "record r {{ a: {{ b: int, c: {{}} }}?, d: {{ {long}: int }} }}"
        )),
        format!(
            "record r {{\n  a: {{ b: int, c: {{}} }}?,\n  d: {{\n    {long}: int,\n  }},\n}}\n"
        )
    );
    assert_eq!(
        fmt("record r { a: { b: int // why\n } }"),
        "record r {\n  a: {\n    b: int,  // why\n  },\n}\n"
    );
}

#[test]
fn workflow_declarations() {
    assert_eq!(
        in_workflow(
            "source \"s\" version \"v1\" \"Un\" source \"l\" until \"v2\" actors { a \"A\" } \
             documents { d } facts { n: int } end after a since \"v1\""
        ),
        workflow(
            "  source \"s\"\n  version \"v1\" \"Un\"\n    source \"l\"\n    until \"v2\"\n  actors {\n    a \"A\",\n  }\n  documents {\n    d,\n  }\n  facts {\n    n: int,\n  }\n  end after a\n    since \"v1\"\n"
        )
    );
}

#[test]
fn parameters_and_values_put_attributes_on_continuation_lines() {
    assert_eq!(
        in_workflow(
            "param p \"P\": list<int> = [1, 2,] since \"v1\" until \"v3\" source \"s\" uncertain \"u\" \
             = [3] source \"t\" since \"v3\" value v: int = p[0] * 2 source \"s\""
        ),
        workflow(
            "  param p \"P\": list<int>\n    = [1, 2] since \"v1\" until \"v3\"\n      source \"s\"\n      uncertain \"u\"\n    = [3]\n      source \"t\"\n      since \"v3\"\n  value v: int\n    = p[0] * 2\n      source \"s\"\n"
        )
    );
}

#[test]
fn steps_and_decisions() {
    assert_eq!(
        in_workflow(
            "step a \"A\" { typical 1..2 working days actors x, y produces document d, f.g requires f \
             optional after all(b, any(c, d.o)) before z source \"s\" since \"v\" \
             rule r error \"m\" expect true source \"s\" uncertain \"u\" } \
             decision d \"D\" { outcome o \"O\" p 0.25 -> a outcome n p 0.75 \
             deadline t 2 months after a on expiry o source \"s\" }"
        ),
        workflow(
            "  step a \"A\" {
    typical 1..2 working days
    actors x, y
    produces document d, f.g
    requires f
    optional
    after all(b, any(c, d.o))
    before z
    source \"s\"
    since \"v\"
    rule r error \"m\"
      expect true
      source \"s\"
      uncertain \"u\"
  }
  decision d \"D\" {
    outcome o \"O\" p 0.25 -> a
    outcome n p 0.75
    deadline t 2 months after a on expiry o
      source \"s\"
  }
"
        )
    );
    assert_eq!(
        in_workflow("step a \"A\" { }"),
        workflow("  step a \"A\" {}\n")
    );
}

#[test]
fn regions() {
    assert_eq!(
        fmt(
            "region r \"R\" extends w versions \"v1\",\"v2\" { plugin p \"pkg\" version \"^1\" { fn f(a: int, b: {c: text}) -> bool fn g() -> int? } \
             tighten s { requires document d deadline 1 day after s source \"s\" rule x info \"m\" expect p.f(1, {c: \"\"}) } \
             override param q = 2 source \"s\" override rule y warning \"m\" expect false drop rule z source \"s\" }"
        ),
        "region r \"R\" extends w versions \"v1\", \"v2\" {
  plugin p \"pkg\" version \"^1\" {
    fn f(a: int, b: { c: text }) -> bool
    fn g() -> int?
  }
  tighten s {
    requires document d
    deadline 1 day after s
      source \"s\"
    rule x info \"m\"
      expect p.f(1, { c: \"\" })
  }
  override param q
    = 2
      source \"s\"
  override rule y warning \"m\"
    expect false
  drop rule z
    source \"s\"
}
"
    );
}

#[test]
fn expressions_are_spaced_canonically() {
    let cases = [
        ("a+b*-c%d", "a + b * -c % d"),
        ("not(a)and b or c implies d", "not (a) and b or c implies d"),
        ("a not   in b", "a not in b"),
        ("a in[1,2] ?? x", "a in [1, 2] ?? x"),
        ("f( )+p . g(x,y)", "f() + p.g(x, y)"),
        ("count(x in xs where x.a>1)", "count(x in xs where x.a > 1)"),
        (
            "sum(x.b for x in xs where x)",
            "sum(x.b for x in xs where x)",
        ),
        ("{a:1,b:\"c\\\"d\",}", "{ a: 1, b: \"c\\\"d\" }"),
        ("{}", "{}"),
        ("x[0].y[ i ]", "x[0].y[i]"),
        ("- - 1_000 + 2.50", "--1_000 + 2.50"),
        (
            "2024-01-31 + 3 working days + 1 month",
            "2024-01-31 + 3 working days + 1 month",
        ),
        (
            "today != none and true == false",
            "today != none and true == false",
        ),
        ("(a<=b)==(c >= d)", "(a <= b) == (c >= d)"),
    ];
    for (written, canonical) in cases {
        assert_eq!(
            in_workflow(&format!("value v: int = {written}")),
            workflow(&format!("  value v: int\n    = {canonical}\n")),
            "{written}"
        );
    }
}

#[test]
fn long_expressions_break_before_or_then_and() {
    let long = "une_condition_assez_longue";
    let text = in_workflow(&format!(
        "rule r error \"m\" expect {long} or {long} and {long} or {long} or {long}"
    ));
    assert_eq!(
        text,
        workflow(&format!(
            "  rule r error \"m\"\n    expect {long} or {long} and {long}\n        or {long} or {long}\n"
        ))
    );
    let ands = in_workflow(&format!(
        "rule r error \"m\" expect {long} and {long} and ({long} or {long})"
    ));
    assert_eq!(
        ands,
        workflow(&format!(
            "  rule r error \"m\"\n    expect {long} and {long}\n        and ({long} or {long})\n"
        ))
    );
    // Beside a top-level `implies`, the breaks are those inside the brackets.
    let implies = in_workflow(&format!(
        "rule r error \"m\" expect {long} implies all(x in xs where {long} or {long} or {long})"
    ));
    assert_eq!(
        implies,
        workflow(&format!(
            "  rule r error \"m\"\n    expect {long} implies all(x in xs where {long}\n        or {long} or {long})\n"
        ))
    );
}

#[test]
fn long_prerequisites_fill_their_lines() {
    let names: Vec<String> = (0..8).map(|i| format!("etape_numero_{i}")).collect();
    let text = in_workflow(&format!("end \"Fin\" after all({})", names.join(",")));
    assert_eq!(
        text,
        workflow(
            "  end \"Fin\"\n    after all(etape_numero_0, etape_numero_1, etape_numero_2, etape_numero_3, etape_numero_4,\n              etape_numero_5, etape_numero_6, etape_numero_7)\n"
        )
    );
}

#[test]
fn blank_lines_between_items_are_kept_once() {
    let text = "workflow w \"W\" {\n\n\n  source \"s\"\n\n\n\n  step a \"A\" {\n\n    source \"s\"\n\n  }\n  step b \"B\" {}\n\n}\n\n\n";
    assert_eq!(
        fmt(text),
        workflow("  source \"s\"\n\n  step a \"A\" {\n    source \"s\"\n  }\n  step b \"B\" {}\n")
    );
}

#[test]
fn comments_on_their_own_lines_stay_before_what_follows() {
    let text = "// head\n\n// banner\nworkflow w \"W\" {\n  // first\n\n  source \"s\"\n\n  // ---- section\n\n  step a \"A\" {\n      // inside\n  }\n  // before the brace\n}\n// tail\n";
    assert_eq!(
        fmt(text),
        "// head\n\n// banner\nworkflow w \"W\" {\n  // first\n\n  source \"s\"\n\n  // ---- section\n\n  step a \"A\" {\n    // inside\n  }\n  // before the brace\n}\n// tail\n"
    );
}

#[test]
fn trailing_comments_stay_at_the_end_of_their_line_aligned() {
    let text = "record r { a: int, // one\n  longer_name: text? // two\n\n , c: int /* three */ }";
    assert_eq!(
        fmt(text),
        "record r {\n  a: int,              // one\n  longer_name: text?,  // two\n\n  c: int,  /* three */\n}\n"
    );
    assert_eq!(
        fmt("workflow w \"W\" { step a \"A\" { // on the brace\n source \"s\" } } // after"),
        "workflow w \"W\" {\n  step a \"A\" {  // on the brace\n    source \"s\"\n  }\n}  // after\n"
    );
}

#[test]
fn comments_inside_declarations_are_kept_in_place() {
    assert_eq!(
        in_workflow("rule r error \"m\" // why\n expect a /* not b */ and c // end\n source \"s\""),
        workflow(
            "  rule r error \"m\"              // why\n    expect a /* not b */ and c  // end\n    source \"s\"\n"
        )
    );
    // A comment inside an expression breaks its line: the rest goes on a continuation line.
    assert_eq!(
        in_workflow("value v: int = f(1, // one\n 2)"),
        workflow("  value v: int\n    = f(1,  // one\n        2)\n")
    );
    assert_eq!(
        in_workflow("value v: int = f(1,\n // own line\n 2)"),
        workflow("  value v: int\n    = f(1,\n        // own line\n        2)\n")
    );
    assert_eq!(
        fmt(
            "region r \"R\" extends w { plugin p \"p\" version \"1\" {\n // a function\n fn f() -> int // returns\n /* last */ } }"
        ),
        "region r \"R\" extends w {\n  plugin p \"p\" version \"1\" {\n    // a function\n    fn f() -> int  // returns\n    /* last */\n  }\n}\n"
    );
}

#[test]
fn block_comments_over_several_lines_are_kept_verbatim() {
    let text =
        "workflow w \"W\" {\n    /* one\n       two */\n  source \"s\" /* three\n four */\n}\n";
    assert_eq!(
        fmt(text),
        "workflow w \"W\" {\n  /* one\n       two */\n  source \"s\"  /* three\n four */\n}\n"
    );
}

#[test]
fn comment_markers_in_strings_are_text() {
    let text = "workflow w \"W // no\" { source \"/* nor */\" }";
    assert_eq!(
        fmt(text),
        "workflow w \"W // no\" {\n  source \"/* nor */\"\n}\n"
    );
}

#[test]
fn texts_that_do_not_parse_are_refused_with_the_parser_diagnostics() {
    let Err(FormatError::Syntax(diagnostics)) = format(FileId(7), "workflow w { step }") else {
        panic!("a syntax error must be refused");
    };
    assert!(!diagnostics.is_empty());
    assert!(diagnostics.iter().all(|d| d.code.name == "syntax-error"));
    // An invalid literal is a parse diagnostic too.
    assert!(matches!(
        format(
            FileId(7),
            "workflow w \"W\" { param p: int = 99999999999999999999 }"
        ),
        Err(FormatError::Syntax(_))
    ));
}

#[test]
fn same_syntax_ignores_spans_only() {
    let parse = |t: &str| crate::parse(FileId(0), t).0;
    let a = parse("workflow w \"W\" { source \"s\" }");
    let b = parse("\n\n  workflow   w \"W\"{source \"s\"}");
    let c = parse("workflow w \"W\" { source \"t\" }");
    assert!(same_syntax(&a, &b));
    assert!(!same_syntax(&a, &c));
    // A label that reads like a span is text, not a span.
    let d = parse("workflow w \"Span { x }\" { source \"s\" }");
    let e = parse("workflow w \"Span { y }\" { source \"s\" }");
    assert!(!same_syntax(&d, &e));
}
