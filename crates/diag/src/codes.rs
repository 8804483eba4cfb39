//! The registry of diagnostic codes: one entry per code; the documentation `cpts explain` prints
//! is in `codes/ID.md`. Codes are stable: never renumber or reuse one; retire it instead.
//!
//! Numbering: `E00xx` syntax and loading, `E01xx` names, `E02xx` types, `E03xx` workflow content,
//! `W04xx` warnings about content that loads but is probably wrong, `E05xx` graph and soundness,
//! `E06xx` project files and the journal, `E07xx` rules on a project, `E08xx` plugins.

use crate::Severity;
use serde::Serialize;

/// A stable diagnostic code with its documentation.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Code {
    /// Stable identifier, e.g. `E0103`.
    pub id: &'static str,
    /// Kebab-case name that reads as what is wrong, e.g. `unknown-step`.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// What it means, why it matters, an example, how to fix (Markdown).
    #[serde(skip)]
    pub doc: &'static str,
}

impl Code {
    /// Finds a code by id (`E0103`, case-insensitive) or name (`unknown-step`).
    pub fn lookup(key: &str) -> Option<&'static Code> {
        ALL.iter()
            .copied()
            .find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
    }
}

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $konst: Code = Code {
                id: $id,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                doc: include_str!(concat!("codes/", $id, ".md")),
            };
        )*
        /// Every code, in registry order.
        pub static ALL: &[&Code] = &[$(&$konst),*];
    };
}

codes! {
SYNTAX_ERROR = "E0001" "syntax-error" Error "the text does not follow the rules language grammar";
INVALID_LITERAL = "E0002" "invalid-literal" Error "a number, date or string literal is malformed";
UNREADABLE_FILE = "E0010" "unreadable-file" Error "a rules file or folder could not be read";
UNRESOLVED_IMPORT = "E0011" "unresolved-import" Error "an `import` names a file that does not exist";
NO_RULES = "E0012" "no-rules-found" Error "no `.cpts` file was found under the given paths";
UNKNOWN_NAME = "E0101" "unknown-name" Error "an expression uses a name that is not a fact, value, parameter or local";
DUPLICATE_DEFINITION = "E0102" "duplicate-definition" Error "the same name is defined twice in one scope";
UNKNOWN_STEP = "E0103" "unknown-step" Error "a prerequisite, route or deadline names a step that does not exist";
UNKNOWN_OUTCOME = "E0104" "unknown-outcome" Error "a reference names an outcome the decision does not have";
UNKNOWN_TYPE = "E0105" "unknown-type" Error "a type name is not a builtin, enum or record";
UNKNOWN_FIELD = "E0106" "unknown-field" Error "a field access names a field the record does not have";
UNKNOWN_VARIANT = "E0107" "unknown-variant" Error "an enum value names a variant the enum does not have";
UNKNOWN_WORKFLOW = "E0108" "unknown-workflow" Error "a region extends a workflow that does not exist";
UNKNOWN_VERSION = "E0109" "unknown-version" Error "a `since`, `until` or `versions` names a version the workflow does not declare";
UNKNOWN_ACTOR = "E0110" "unknown-actor" Error "a step names an actor not declared in `actors { … }`";
UNKNOWN_DOCUMENT = "E0111" "unknown-document" Error "`produces`/`requires document x` names an undeclared document";
UNKNOWN_FUNCTION = "E0112" "unknown-function" Error "a call names no builtin function and no declared plugin function";
UNKNOWN_PLUGIN = "E0113" "unknown-plugin" Error "a call uses a plugin alias no `plugin` block declares";
OVERLAY_UNKNOWN_TARGET = "E0114" "overlay-unknown-target" Error "a region refers to a step, rule or parameter the extended workflow does not have";
ABSENT_IN_VERSION = "E0115" "absent-in-version" Error "an item present in a version refers to a step absent from it";
UNKNOWN_REGION = "E0116" "unknown-region" Error "no region of that name extends the workflow";
TYPE_MISMATCH = "E0201" "type-mismatch" Error "a value has a different type than the place it is used in";
WRONG_ARITY = "E0202" "wrong-arity" Error "a function is called with the wrong number of arguments";
ARGUMENT_TYPE = "E0203" "argument-type" Error "a function argument does not have the parameter's type";
INVALID_OPERANDS = "E0204" "invalid-operands" Error "an operator is applied to values it does not work on";
NOT_A_COLLECTION = "E0205" "not-a-collection" Error "a collection function or comprehension is given a single value";
OPTIONAL_MISUSE = "E0206" "optional-misuse" Error "a value that may be absent is used where a value is required";
NOT_A_RECORD = "E0207" "not-a-record" Error "a field is read from a value that is not a record";
VALIDATION_MISUSE = "E0208" "validation-misuse" Error "a `check` calls something other than a plugin validation function, or an expression calls one";
MISSING_SOURCE = "E0301" "missing-source" Error "a workflow, step, decision, rule, deadline, parameter or value has no `source`";
MISSING_VERSION = "E0302" "missing-version" Error "a workflow declares no `version`";
INVALID_PROBABILITY = "E0303" "invalid-probability" Error "outcome probabilities are out of range, partial, or do not sum to 1";
INVALID_RANGE = "E0304" "invalid-range" Error "a `typical min..max` duration, or a `since`/`until` pair, is reversed";
INVALID_EXPIRY = "E0305" "invalid-expiry" Error "`on expiry` is used outside a decision or names no outcome of it";
DECISION_WITHOUT_OUTCOMES = "E0306" "decision-without-outcomes" Error "a decision declares fewer than two outcomes";
BEFORE_OUTSIDE_OVERLAY = "E0307" "before-outside-overlay" Error "`before` is used in a national workflow";
EMPTY_ANY = "E0308" "empty-any" Error "`any()` or `all()` lists no prerequisite";
PARAM_VERSION = "E0309" "param-version" Error "a parameter has no value for some version, or two for the same one";
EMPTY_MESSAGE = "E0311" "empty-message" Error "a rule has an empty message or a label is empty";
SELF_PREREQUISITE = "E0312" "self-prerequisite" Error "a step lists itself as its own prerequisite";
CYCLIC_DEFINITION = "E0313" "cyclic-definition" Error "computed values or parameters are defined in terms of each other";
UNUSED_PARAM = "W0401" "unused-param" Warning "a parameter or value is never used";
UNUSED_PLUGIN_FUNCTION = "W0402" "unused-plugin-function" Warning "a declared plugin function is never called";
LOOSENED_RULE = "W0403" "loosened-rule" Warning "a region drops a national rule or lowers its severity";
UNCERTAIN_VALUE = "I0404" "uncertain-value" Info "a parameter value is marked uncertain";
UNREACHABLE_STEP = "E0501" "unreachable-step" Error "steps that only wait for each other can never be reached from a start step";
DEAD_END_STEP = "E0502" "dead-end-step" Error "the end of the workflow never waits for this step";
OUTCOME_LEADS_NOWHERE = "E0503" "outcome-leads-nowhere" Error "a forward outcome of a decision is followed by nothing";
PREREQUISITE_CYCLE = "E0504" "prerequisite-cycle" Error "steps wait for each other in a cycle";
DEADLOCK = "E0505" "deadlock" Error "an all-of join waits for outcomes that exclude each other";
LIVELOCK = "E0506" "livelock" Error "every outcome of a decision loops back, so the decision is never left";
DEAD_STEP = "E0507" "dead-step" Error "a step is enabled in no run of the workflow";
NO_OPTION_TO_COMPLETE = "E0508" "no-option-to-complete" Error "some run of the workflow can never complete";
IMPROPER_COMPLETION = "W0509" "improper-completion" Warning "the workflow can be complete while steps are still to run";
ROUTE_NOT_UPSTREAM = "E0510" "route-not-upstream" Error "a looping outcome goes to a step that does not come before the decision";
READ_BEFORE_WRITE = "E0511" "read-before-write" Error "a step reads a fact or document that may not be produced yet";
INCONSISTENT_DEADLINE = "E0512" "inconsistent-deadline" Error "a deadline is shorter than the minimum durations that must fit inside it";
PROJECT_SYNTAX = "E0601" "project-syntax" Error "a project file is not valid TOML";
PROJECT_HEADER = "E0602" "project-header" Error "the `[project]` table is missing or incomplete";
FACT_TYPE = "E0603" "fact-type" Error "a fact has a value of the wrong type";
MISSING_FACT = "E0604" "missing-fact" Error "a required fact or field is absent";
UNKNOWN_FACT = "E0605" "unknown-fact" Error "a fact or field the workflow does not declare";
JOURNAL_ENTRY = "E0606" "journal-entry" Error "a journal entry names an unknown step, actor or outcome";
JOURNAL_DATE = "E0607" "journal-date" Error "a journal entry is dated after today or before the previous entry";
JOURNAL_ORDER = "W0608" "journal-order" Warning "a journal entry records a step before what it waits for";
RULE_FAILED = "E0701" "rule-failed" Error "a rule does not hold for the project";
RULE_UNEVALUABLE = "E0702" "rule-unevaluable" Error "a rule cannot be evaluated on the project's facts";
ADVANCE_REFUSED = "E0609" "advance-refused" Error "the step cannot be recorded now";
CONCURRENT_CHANGE = "E0610" "concurrent-change" Error "the project file changed while it was being advanced";
INVALID_SCENARIO = "E0611" "invalid-scenario" Error "a scenario file is malformed, or an expectation names something the rules do not have";
PLUGIN_NOT_FOUND = "E0801" "plugin-not-found" Error "a plugin the rules declare cannot be found";
PLUGIN_INVALID = "E0802" "plugin-invalid" Error "a plugin file cannot be loaded";
PLUGIN_CAPABILITY = "E0803" "plugin-capability" Error "a plugin imports a capability";
PLUGIN_INTERFACE = "E0804" "plugin-interface" Error "a plugin does not export a supported interface version";
PLUGIN_SIGNATURE = "E0805" "plugin-signature" Error "a plugin differs from what the rules declare of it";
PLUGIN_CALL_FAILED = "E0806" "plugin-call-failed" Error "a plugin call gave no result";
}
