//! The registry of diagnostic codes: one entry per code, with the documentation `cpts explain`
//! prints. Codes are stable: never renumber or reuse one; retire it instead.
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
    ($($konst:ident = $id:literal $name:literal $sev:ident $summary:literal $doc:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $konst: Code = Code {
                id: $id,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                doc: $doc,
            };
        )*
        /// Every code, in registry order.
        pub static ALL: &[&Code] = &[$(&$konst),*];
    };
}

codes! {
SYNTAX_ERROR = "E0001" "syntax-error" Error "the text does not follow the rules language grammar"
"## What it means
The parser met something it did not expect: a missing brace, a misspelt keyword, a label without
quotes. The rest of the file cannot be read reliably past that point, so cpts skips the top-level
item (workflow, region, enum…) that holds the error and goes on with the other items and files.

## Why it matters
Nothing in the broken item is checked, so other problems inside it stay hidden until it is fixed.

## Example
```
step agc \"Assemblée générale constitutive\" {
  after validation_li.validee
  typical 1..3 mois        // `mois` is not a unit: use `months`
}
```

## How to fix
Read the expected tokens in the message. Units are `days`, `working days`, `weeks`, `months`,
`years`; labels and messages are quoted strings; keywords are English.";

INVALID_LITERAL = "E0002" "invalid-literal" Error "a number, date or string literal is malformed"
"## What it means
A literal has the right shape for the parser but no valid value: a date like `2022-02-30`, an
integer too large for 64 bits, an unknown escape such as `\\q` in a string.

## Why it matters
The value would otherwise be silently replaced or truncated.

## Example
```
rule delai error \"...\" expect date_of(agc) >= 2022-13-01 source \"...\"
```

## How to fix
Write a real calendar date (`YYYY-MM-DD`), a smaller number, or a supported escape (`\\\"`, `\\\\`,
`\\n`, `\\t`).";

UNREADABLE_FILE = "E0010" "unreadable-file" Error "a rules file or folder could not be read"
"## What it means
A path given on the command line, or reached through `import`, could not be read (missing,
permission denied, not UTF-8).

## Why it matters
Its rules are missing from the check; `cpts check` exits with status 2.

## Example
`cpts check rules/nationl/` (a typo in the folder name).

## How to fix
Check the path and that the file is UTF-8 text.";

UNRESOLVED_IMPORT = "E0011" "unresolved-import" Error "an `import` names a file that does not exist"
"## What it means
`import \"path\"` is resolved relative to the importing file. No file exists there.

## Why it matters
Items that the importing file uses from it will be reported as unknown.

## Example
```
import \"../national/type.cpts\"   // the file is `types.cpts`
```

## How to fix
Correct the path (relative to the importing file, with the `.cpts` extension).";

NO_RULES = "E0012" "no-rules-found" Error "no `.cpts` file was found under the given paths"
"## What it means
The paths given to `cpts check` hold no file ending in `.cpts`.

## Why it matters
Nothing was checked, which is never what was meant.

## Example
`cpts check examples/` where the examples hold only project files.

## How to fix
Point at the folder holding the rules, usually `rules/`.";

UNKNOWN_NAME = "E0101" "unknown-name" Error "an expression uses a name that is not a fact, value, parameter or local"
"## What it means
A name in an expression was not found. Names are looked up in order among the comprehension
variables (`m` in `count(m in membres where …)`), the workflow's facts, computed values, parameters,
and enum names (`profession.infirmier`).

## Why it matters
The rule cannot be evaluated; it would never hold or never fail.

## Example
```
rule pluripro error \"...\" expect count(membre) >= 2 source \"...\"   // the fact is `membres`
```

## How to fix
Use the suggested name, or declare the fact in `facts { … }`, the value with `value`, the
parameter with `param`.";

DUPLICATE_DEFINITION = "E0102" "duplicate-definition" Error "the same name is defined twice in one scope"
"## What it means
Two steps, decisions, rules, parameters, facts, enum variants, outcomes, fields… share a name in
the same scope. Steps and decisions share one scope; facts, values and parameters share another.

## Why it matters
References would be ambiguous, and one definition would silently win.

## Example
```
step agc \"Assemblée générale constitutive\" { source \"...\" }
step agc \"AG constitutive\" { source \"...\" }
```

## How to fix
Rename one of them, or delete the copy. A region that wants to change a national item uses
`tighten`, `override` or `drop`, not a new definition.";

UNKNOWN_STEP = "E0103" "unknown-step" Error "a prerequisite, route or deadline names a step that does not exist"
"## What it means
`after`, `before`, `-> step`, `deadline … after step`, `done(step)` or `date_of(step)` names a step or
decision not declared in the workflow (or, in a region, in the workflow it extends).

## Why it matters
The workflow graph would have a dangling edge: the step could never be enabled.

## Example
```
step agc \"AGC\" { after validation_lettre.validee  source \"...\" }  // the decision is `validation_li`
```

## How to fix
Use the suggested name or declare the step.";

UNKNOWN_OUTCOME = "E0104" "unknown-outcome" Error "a reference names an outcome the decision does not have"
"## What it means
`decision.outcome` in a prerequisite or deadline, or `on expiry outcome`, names an outcome that the
decision does not declare.

## Why it matters
The route would never be taken; the steps after it would be dead.

## Example
```
decision validation_projet \"...\" { outcome valide outcome oppose -> projet  source \"...\" }
step signature \"...\" { after validation_projet.validee  source \"...\" }   // `valide`
```

## How to fix
Use one of the listed outcomes, or add the outcome to the decision.";

UNKNOWN_TYPE = "E0105" "unknown-type" Error "a type name is not a builtin, enum or record"
"## What it means
Types are `int`, `decimal`, `bool`, `text`, `date`, `duration`, `list<T>`, `set<T>`, `{ field: T }`,
`T?`, or the name of an `enum` or `record`.

## Why it matters
Facts of that type could not be validated in project files.

## Example
```
facts { membres: list<membres> }   // the record is `membre`
```

## How to fix
Use the suggested name or declare the enum or record.";

UNKNOWN_FIELD = "E0106" "unknown-field" Error "a field access names a field the record does not have"
"## What it means
`a.b` where `a` is a record without a field `b`, or a `produces`/`requires` fact path that does not
follow the facts schema.

## Why it matters
The value would always be missing, so the rule would be meaningless.

## Example
```
rule ca error \"...\" expect count(association.conseil) >= 3 source \"...\"   // field `ca`
```

## How to fix
Use the suggested field or add it to the record type.";

UNKNOWN_VARIANT = "E0107" "unknown-variant" Error "an enum value names a variant the enum does not have"
"## What it means
`enum_name.variant` where the enum (or the workflow's `documents`) has no such variant.

## Why it matters
A comparison with it would always be false.

## Example
```
expect any(m in membres where m.profession == profession.kine)   // `masseur_kinesitherapeute`
```

## How to fix
Use the suggested variant or add it to the enum.";

UNKNOWN_WORKFLOW = "E0108" "unknown-workflow" Error "a region extends a workflow that does not exist"
"## What it means
`region x \"...\" extends name` names no loaded workflow.

## Why it matters
The overlay cannot be applied, so none of its steps or rules is checked.

## Example
```
region bfc \"Bourgogne-Franche-Comté\" extends creations { ... }
```

## How to fix
Use the workflow's name (`workflow NAME \"label\"`) and make sure its file is loaded or imported.";

UNKNOWN_VERSION = "E0109" "unknown-version" Error "a `since`, `until` or `versions` names a version the workflow does not declare"
"## What it means
Versions are declared in the workflow with `version \"id\"` in chronological order; parameter
values, steps and rules may be limited to some of them.

## Why it matters
The item would apply under no version at all, or under the wrong ones.

## Example
```
param forfait: int = 50000 since \"aci-2020\" source \"...\"   // declared: aci-2019, aci-2022
```

## How to fix
Use one of the declared version ids, or declare the version.";

UNKNOWN_ACTOR = "E0110" "unknown-actor" Error "a step names an actor not declared in `actors { … }`"
"## What it means
Every actor a step lists must be declared once in the workflow's `actors` block (or the region's).

## Why it matters
Typos would split one actor into two in reports and graphs.

## Example
```
actors { ars \"Agence régionale de santé\" }
step x \"...\" { actors arss  source \"...\" }
```

## How to fix
Use the suggested actor or declare it.";

UNKNOWN_DOCUMENT = "E0111" "unknown-document" Error "`produces`/`requires document x` names an undeclared document"
"## What it means
Documents are declared in the workflow's `documents { … }` block.

## Why it matters
The data-flow check could never prove that the document exists when it is needed.

## Example
```
step projet \"...\" { requires document projet_de_sante  source \"...\" }   // `projet_sante`
```

## How to fix
Use the suggested document or declare it.";

UNKNOWN_FUNCTION = "E0112" "unknown-function" Error "a call names no builtin function and no declared plugin function"
"## What it means
Builtins are `count`, `sum`, `min`, `max`, `all`, `any`, `distinct`, `done`, `date_of`. Plugin
functions are called as `alias.name(…)` and must be declared in the region's `plugin` block.

## Why it matters
The rule could not be evaluated.

## Example
```
expect cardinal(membres) >= 2     // use `count`
```

## How to fix
Use the suggested function, or declare the plugin function with its signature.";

UNKNOWN_PLUGIN = "E0113" "unknown-plugin" Error "a call uses a plugin alias no `plugin` block declares"
"## What it means
In `alias.function(…)`, `alias` must be declared by `plugin alias \"name\" version \"…\" { … }` in
the same region.

## Why it matters
The host would not know which WebAssembly component to load.

## Example
```
expect bfcc.parite_gouvernance(association.comite_pilotage, membres)
```

## How to fix
Use the declared alias, or declare the plugin in the region.";

OVERLAY_UNKNOWN_TARGET = "E0114" "overlay-unknown-target" Error "a region refers to a step, rule or parameter the extended workflow does not have"
"## What it means
`before x`, `tighten x`, `override rule x`, `override param x` or `drop rule x` in a region names
something that the extended workflow does not declare, in at least one of the versions the region
extends.

## Why it matters
The overlay would silently do nothing: the region's rules would differ from what the ARS wrote.

## Example
```
region bfc \"...\" extends creation {
  tighten assemblee_constitutive { ... }   // the national step is `agc`
}
```

## How to fix
Use the national name (see the suggestion), or restrict the region with `versions \"…\"` to the
versions that have it.";

ABSENT_IN_VERSION = "E0115" "absent-in-version" Error "an item present in a version refers to a step absent from it"
"## What it means
Steps and rules limited with `since`/`until` exist only in some versions. A step, deadline or end
present in a version waits for, or counts from, a step that the version does not have.

## Why it matters
Under that version the reference would dangle: the step could never start, or its deadline
would have no start.

## Example
```
step mission_crises_demarree \"...\" { since \"aci-2022\"  source \"...\" }
step bilan \"...\" { after mission_crises_demarree  source \"...\" }   // exists in aci-2019 too
```

## How to fix
Give the referring item the same `since`/`until`, or restrict the region with `versions`.";

UNKNOWN_REGION = "E0116" "unknown-region" Error "no region of that name extends the workflow"
"## What it means
`--region NAME` (or a project's region) names no `region` that extends the workflow.

## Why it matters
The region's rules would silently not apply.

## Example
`cpts check rules/ --region bretagne` when no Bretagne overlay is loaded.

## How to fix
Use one of the listed regions, or load the file that declares it.";

TYPE_MISMATCH = "E0201" "type-mismatch" Error "a value has a different type than the place it is used in"
"## What it means
A parameter or value whose expression does not have its declared type, a rule condition that is
not `bool`, a comparison between different types, a list mixing element types.

## Why it matters
The rule would fail at run time, or compare things that can never be equal.

## Example
```
param seuils: list<int> = [\"40000\", \"80000\"]  source \"...\"
```

## How to fix
Change the expression or the declared type; the message says both types.";

WRONG_ARITY = "E0202" "wrong-arity" Error "a function is called with the wrong number of arguments"
"## What it means
A builtin or declared plugin function receives more or fewer arguments than its signature says.

## Why it matters
Plugin calls are checked against the WebAssembly interface: a mismatch would trap at run time.

## Example
```
plugin bfc \"bourgogne-franche-comte\" version \"^0.1\" {
  fn parite_gouvernance(comite: list<text>, membres: list<membre>) -> bool
}
rule paritaire error \"...\" expect bfc.parite_gouvernance(membres) source \"...\"
```

## How to fix
Pass exactly the parameters listed in the signature.";

ARGUMENT_TYPE = "E0203" "argument-type" Error "a function argument does not have the parameter's type"
"## What it means
An argument of a builtin or plugin call has a type that the parameter does not accept.

## Why it matters
Plugin arguments cross a typed WebAssembly boundary; builtins would fail at run time.

## Example
```
fn msa_partenaire(departements: list<text>) -> bool
rule msa info \"...\" expect cvl.msa_partenaire(territoire.population) source \"...\"
```

## How to fix
Pass a value of the parameter's type (the message gives both).";

INVALID_OPERANDS = "E0204" "invalid-operands" Error "an operator is applied to values it does not work on"
"## What it means
Arithmetic needs numbers (or a date and a duration), `and`/`or`/`not`/`implies` need booleans,
`<` needs ordered values, `in` needs a list or set on its right, `??` needs an optional on its left.

## Why it matters
The expression has no meaning.

## Example
```
expect territoire.nom + 1 > 0
```

## How to fix
Apply the operator to values of the right types.";

NOT_A_COLLECTION = "E0205" "not-a-collection" Error "a collection function or comprehension is given a single value"
"## What it means
`count`, `sum`, `all`, `any`, `distinct`, `min`, `max` and `x in …` comprehensions work on lists
and sets.

## Why it matters
There is nothing to iterate.

## Example
```
expect count(territoire.population) > 0
```

## How to fix
Pass a list or set fact, or compare the value directly.";

OPTIONAL_MISUSE = "E0206" "optional-misuse" Error "a value that may be absent is used where a value is required"
"## What it means
Facts typed `T?` (and field accesses through them) may be absent in a project. Arithmetic,
ordering comparisons and function arguments need a present value.

## Why it matters
The rule would fail on every project where the value is not yet known.

## Example
```
expect association.declaree < 2022-05-14      // `declaree: date?`
```

## How to fix
Give a fallback with `??` (`association.declaree ?? today`), or guard:
`association.declaree != none implies …`.";

NOT_A_RECORD = "E0207" "not-a-record" Error "a field is read from a value that is not a record"
"## What it means
`a.b` needs `a` to be a record (or an optional record). Enums use `enum_name.variant`.

## Why it matters
There is no field to read.

## Example
```
expect territoire.population.total > 0
```

## How to fix
Remove the field access or fix the path.";

MISSING_SOURCE = "E0301" "missing-source" Error "a workflow, step, decision, rule, deadline, parameter or value has no `source`"
"## What it means
Every normative item must say where it comes from: a legal text, the ACI, a regional decision, a
documented convention.

## Why it matters
ARS staff must be able to justify each rule to a CPTS; unsourced rules cannot be audited.

## Example
```
rule territoire_defini error \"Le territoire doit lister au moins une commune\"
  expect count(territoire.communes) >= 1
```

## How to fix
Add `source \"…\"` with the reference, e.g. `source \"CSP art. L1434-12\"`.";

MISSING_VERSION = "E0302" "missing-version" Error "a workflow declares no `version`"
"## What it means
A workflow must declare at least one `version \"id\"`. Project files pin the version they follow,
so that old projects replay under the rules they were created under.

## Why it matters
Without a version, a change of the rules would silently change the status of every project.

## Example
```
workflow creation \"Création d'une CPTS\" { source \"...\" ... }
```

## How to fix
Add `version \"aci-2019\" \"ACI du 20/06/2019\" source \"...\"`.";

INVALID_PROBABILITY = "E0303" "invalid-probability" Error "outcome probabilities are out of range, partial, or do not sum to 1"
"## What it means
An outcome probability `p` must be between 0 and 1; if one outcome of a decision has one, every
outcome must, and they must sum to 1.

## Why it matters
`cpts simulate` draws outcomes from these probabilities.

## Example
```
outcome validee p 0.9
outcome a_reprendre p 0.2 -> lettre_intention    // sums to 1.1
```

## How to fix
Fix the figures so that they sum to 1, or remove all of them.";

INVALID_RANGE = "E0304" "invalid-range" Error "a `typical min..max` duration, or a `since`/`until` pair, is reversed"
"## What it means
`typical 6..3 months` cannot be satisfied; `since \"aci-2022\" until \"aci-2019\"` applies under
no version.

## Why it matters
The simulation and the time checks use these bounds.

## Example
```
typical 6..3 months
```

## How to fix
Write the smaller bound first: `typical 3..6 months`; the older version in `since`.";

INVALID_EXPIRY = "E0305" "invalid-expiry" Error "`on expiry` is used outside a decision or names no outcome of it"
"## What it means
`deadline … on expiry outcome` makes a decision take an outcome automatically when the deadline
passes (two months of ARS silence validate the projet de santé). It only makes sense inside a
decision, with one of that decision's outcomes.

## Why it matters
The deadline would have no effect.

## Example
```
step projet_transmis \"...\" { deadline 2 months after projet_redige on expiry valide  source \"...\" }
```

## How to fix
Move the deadline into the decision, or drop `on expiry`.";

DECISION_WITHOUT_OUTCOMES = "E0306" "decision-without-outcomes" Error "a decision declares fewer than two outcomes"
"## What it means
A decision routes the workflow by its outcome; with one outcome it is just a step.

## Why it matters
Nothing could ever depend on which outcome was taken.

## Example
```
decision validation_li \"...\" { outcome validee  source \"...\" }
```

## How to fix
Add the other outcomes (e.g. `outcome a_reprendre -> lettre_intention`) or make it a `step`.";

BEFORE_OUTSIDE_OVERLAY = "E0307" "before-outside-overlay" Error "`before` is used in a national workflow"
"## What it means
`before x` inserts a region step ahead of an existing step. In a national workflow, say
`after` on the later step instead.

## Why it matters
Ordering would be stated in two places and could contradict itself.

## Example
```
workflow creation \"...\" { step a \"...\" { before b  source \"...\" } }
```

## How to fix
Write `after a` in step `b`.";

EMPTY_ANY = "E0308" "empty-any" Error "`any()` or `all()` lists no prerequisite"
"## What it means
`after any()` can never be satisfied and `after all()` is always satisfied.

## Why it matters
An empty any-of makes the step dead; an empty all-of hides a missing dependency.

## Example
```
step x \"...\" { after any()  source \"...\" }
```

## How to fix
List the prerequisites, or remove the `after` clause for a start step.";

PARAM_VERSION = "E0309" "param-version" Error "a parameter has no value for some version, or two for the same one"
"## What it means
A parameter's values are tagged `since \"version\"`; a value without `since` applies from the first
version. Every version of the workflow must get exactly one value.

## Why it matters
A project pinned to the uncovered version would have no value to compute with.

## Example
```
param plafond: int = 450000 since \"aci-2019\" source \"...\"
                   = 580000 since \"aci-2019\" source \"...\"   // meant aci-2022
```

## How to fix
Tag each value with the version it starts at, once.";

EMPTY_MESSAGE = "E0311" "empty-message" Error "a rule has an empty message or a label is empty"
"## What it means
Rule messages and labels are what users read (in French) when a rule fails.

## Why it matters
An empty message explains nothing.

## Example
```
rule pluripro error \"\" expect count(membres) >= 2 source \"...\"
```

## How to fix
Write the requirement in French, e.g. \"La CPTS doit réunir au moins deux professions\".";

SELF_PREREQUISITE = "E0312" "self-prerequisite" Error "a step lists itself as its own prerequisite"
"## What it means
`after x` inside step `x` (or a deadline counted from the step it constrains).

## Why it matters
The step could never be enabled.

## Example
```
step agc \"...\" { after agc  source \"...\" }
```

## How to fix
Name the step that really comes before.";

CYCLIC_DEFINITION = "E0313" "cyclic-definition" Error "computed values or parameters are defined in terms of each other"
"## What it means
A `value` (or `param`) uses itself, directly or through other values: `a` uses `b` which uses `a`.

## Why it matters
The value could never be computed: evaluating it would never end.

## Example
```
value forfait: int = plafond - 10 source \"...\"
value plafond: int = forfait + 10 source \"...\"
```

## How to fix
Break the cycle: one of them must be computed from facts or parameters only.";

UNUSED_PARAM = "W0401" "unused-param" Warning "a parameter or value is never used"
"## What it means
No rule, value or parameter reads it.

## Why it matters
Often a sign that a rule forgot to use it, or that a figure was left behind after a change.

## Example
```
param delai_reponse_li: duration = 2 months  source \"...\"   // nothing reads it
```

## How to fix
Use it in the rule that needs it, or delete it.";

UNUSED_PLUGIN_FUNCTION = "W0402" "unused-plugin-function" Warning "a declared plugin function is never called"
"## What it means
A `plugin` block declares a function that no rule of the region calls.

## Why it matters
The host will still require the plugin to export it, and reviewers will look for its use.

## Example
```
plugin bfc \"bourgogne-franche-comte\" version \"^0.1\" { fn eticss(x: text) -> bool }
```

## How to fix
Call it from the rule that needs it, or remove the declaration.";

LOOSENED_RULE = "W0403" "loosened-rule" Warning "a region drops a national rule or lowers its severity"
"## What it means
`drop rule x` or `override rule x` with a lower severity weakens a national rule in a region.

## Why it matters
National rules come from the law or the ACI; a region may add constraints but rarely remove them.

## Example
```
override rule pluriprofessionnelle warning \"...\" expect ... source \"...\"   // was error
```

## How to fix
Keep the national severity, or document the regional derogation in `source`.";

UNCERTAIN_VALUE = "I0404" "uncertain-value" Info "a parameter value is marked uncertain"
"## What it means
The value carries `uncertain \"reason\"`: the sources disagree or do not state it.

## Why it matters
Results that depend on it (taille, funding, deadlines) should be read with care; the reason is
shown wherever the value is used.

## Example
```
param seuils_taille: list<int> = [40000, 80000, 175000]
  source \"ACI CPTS 2019\" uncertain \"bornes incluses ou non\"
```

## How to fix
Nothing to fix; remove `uncertain` once a source settles it.";

UNREACHABLE_STEP = "E0501" "unreachable-step" Error "steps that only wait for each other can never be reached from a start step"
"## What it means
A group of steps waits for each other in a cycle and for nothing else: no path leads to them from
a step that starts the workflow (a step without `after`).

## Why it matters
They can never start; whatever they produce never exists.

## Example
```
step a \"A\" { after b  source \"...\" }
step b \"B\" { after a  source \"...\" }
```

## How to fix
Make one of them wait for a step of the workflow, or remove them.";

DEAD_END_STEP = "E0502" "dead-end-step" Error "the end of the workflow never waits for this step"
"## What it means
The workflow declares `end after …`; this step is not among the steps the end waits for, directly
or through later steps.

## Why it matters
The workflow can be complete while the step is still pending, or the step is useless.

## Example
```
step bilan \"Bilan\" { after signature_aci  source \"...\" }
end after all(mission_acces_deployee, mission_parcours_deployee)   // forgets `bilan`
```

## How to fix
Make the end (or a step it waits for) wait for it, or remove it.";

OUTCOME_LEADS_NOWHERE = "E0503" "outcome-leads-nowhere" Error "a forward outcome of a decision is followed by nothing"
"## What it means
The outcome has no `->` (so it does not loop back), and no step waits for it.

## Why it matters
A run that takes it stops there: the workflow can never complete along it.

## Example
```
decision validation_li \"...\" {
  outcome validee
  outcome abandon            // nothing waits for `validation_li.abandon`
  source \"...\"
}
```

## How to fix
Make a step wait for it (e.g. a closing step), loop it back with `-> step`, or remove it.";

PREREQUISITE_CYCLE = "E0504" "prerequisite-cycle" Error "steps wait for each other in a cycle"
"## What it means
Following `after` from a step leads back to it. Each step of the cycle waits for the previous one.

## Why it matters
None of them can ever start: a deadlock, and everything after them is dead.

## Example
```
step redaction \"...\" { after all(diagnostic, transmission)  source \"...\" }
step transmission \"...\" { after redaction  source \"...\" }
```

## How to fix
Break the cycle. Rework is written as a decision outcome that loops back: `outcome oppose -> redaction`.";

DEADLOCK = "E0505" "deadlock" Error "an all-of join waits for outcomes that exclude each other"
"## What it means
A step waits (directly or through earlier steps) for two different outcomes of the same decision.
A run of a decision ends with one outcome, so both never happen.

## Why it matters
The step can never start, nor anything after it. bpmnlint misses this (an exclusive split into a
parallel join).

## Example
```
decision validation_li \"...\" { outcome validee  outcome rejetee  source \"...\" }
step agc \"...\" { after all(validation_li.validee, validation_li.rejetee)  source \"...\" }
```

## How to fix
Wait with `any(…)` if either branch will do, or wait for one outcome only.";

LIVELOCK = "E0506" "livelock" Error "every outcome of a decision loops back, so the decision is never left"
"## What it means
All outcomes of the decision have `-> step`: the run goes round the loop forever.

## Why it matters
Nothing after the decision can ever happen: a cycle with no exit.

## Example
```
decision validation \"...\" {
  outcome a_reprendre -> lettre_intention
  outcome incomplete -> lettre_intention
  source \"...\"
}
```

## How to fix
Give the decision a forward outcome (without `->`) that later steps wait for.";

DEAD_STEP = "E0507" "dead-step" Error "a step is enabled in no run of the workflow"
"## What it means
No run of the workflow can ever enable the step, for a reason not covered by a more specific code:
it waits for an outcome that loops back (taking it undoes the step), or for an `any(…)` whose
alternatives all are absent.

## Why it matters
The step and everything after it never happen.

## Example
```
decision validation_li \"...\" { outcome validee  outcome a_reprendre -> lettre_intention  source \"...\" }
step courrier \"...\" { after validation_li.a_reprendre  source \"...\" }
```

## How to fix
Wait for a forward outcome, or make the step part of the rework (after the loop's target).";

NO_OPTION_TO_COMPLETE = "E0508" "no-option-to-complete" Error "some run of the workflow can never complete"
"## What it means
There is a run — given by the outcomes its decisions take — in which the end can never be
reached, or a step is left waiting forever for a branch that was not taken. The diagnostic shows
that run.

## Why it matters
A project following that run is stuck with no way forward (soundness: option to complete).

## Example
```
decision validation_projet \"...\" { outcome valide  outcome abandon  source \"...\" }
step signature_aci \"...\" { after all(validation_projet.valide, agc)  source \"...\" }
end after signature_aci       // a run taking `abandon` never ends
```

## How to fix
Give every outcome a way to the end (a closing step the end accepts with `any(…)`), or loop it
back for rework with `-> step`.";

IMPROPER_COMPLETION = "W0509" "improper-completion" Warning "the workflow can be complete while steps are still to run"
"## What it means
In some run the end is reached through one alternative of an `any(…)` while steps of another
alternative are still enabled (soundness: proper completion).

## Why it matters
A project would be reported complete with work still pending.

## Example
```
end after any(mission_acces_deployee, mission_parcours_deployee)
```

## How to fix
Make the end wait for all of them (`all(…)`), or make the alternatives exclusive.";

ROUTE_NOT_UPSTREAM = "E0510" "route-not-upstream" Error "a looping outcome goes to a step that does not come before the decision"
"## What it means
`outcome x -> step` sends the workflow back to `step` for rework, which undoes it and everything
after it. Here `step` is not a prerequisite of the decision, even indirectly.

## Why it matters
Nothing is redone before the decision is asked again: the loop has no meaning.

## Example
```
decision validation_li \"...\" { after lettre_intention  outcome validee  outcome non -> agc  source \"...\" }
```

## How to fix
Route to a step the decision waits for (usually the one that produced what is reviewed).";

READ_BEFORE_WRITE = "E0511" "read-before-write" Error "a step reads a fact or document that may not be produced yet"
"## What it means
A step `requires` a fact or document, or one of its rules reads a fact, that some step
`produces`; but a run can reach the step without passing through any producer. Facts no step
produces are initial project data and always available. Testing presence (`x != none`,
`x ?? fallback`) is not a read.

## Why it matters
The rule would judge data that does not exist yet at that point of the process.

## Example
```
step redaction_projet \"...\" { after diagnostic  requires document comptes_rendus  source \"...\" }
step groupes_travail \"...\" { after lettre_intention  produces document comptes_rendus  source \"...\" }
```

## How to fix
Make the step wait for the producer, or stop declaring the data as produced if it is initial.";

INCONSISTENT_DEADLINE = "E0512" "inconsistent-deadline" Error "a deadline is shorter than the minimum durations that must fit inside it"
"## What it means
The steps between a deadline's anchor and its step have typical minimum durations that add up
to more than the deadline, even counting months as 28 days and the deadline's as 31.

## Why it matters
The deadline can never be met by a project that follows the typical durations: the constraints
contradict each other (a negative cycle in the simple temporal network).

## Example
```
step redaction \"...\" { after signature  typical 4..6 months  source \"...\" }
step depot \"...\" { after redaction  typical 3..4 months
  deadline 6 months after signature  source \"...\" }
```

## How to fix
Lengthen the deadline, shorten the minimum durations, or check the anchor.";

PROJECT_SYNTAX = "E0601" "project-syntax" Error "a project file is not valid TOML"
"## What it means
The project file cannot be read as TOML: a missing quote, a duplicated key, a bad date.

## Why it matters
Nothing in the file can be trusted; cpts never rewrites a damaged file, it reports it.

## Example
```
[project]
name = \"CPTS Sud 28
```

## How to fix
Fix the TOML at the place shown; dates are written `2018-05-14` without quotes.";

PROJECT_HEADER = "E0602" "project-header" Error "the `[project]` table is missing or incomplete"
"## What it means
A project file starts with `[project]` giving at least `name`, `workflow` and `version` (and
optionally `region` and `today`).

## Why it matters
Without them cpts cannot know which rules the project follows.

## Example
```
[project]
name = \"CPTS du Giennois\"
workflow = \"creation\"      # version missing
```

## How to fix
Add the missing key; `cpts check rules/` lists the workflows and versions.";

FACT_TYPE = "E0603" "fact-type" Error "a fact has a value of the wrong type"
"## What it means
The value in the project file does not have the type the workflow declares for that fact:
a string where an integer is expected, an enum value that is not one of its variants, a date
written as a string.

## Why it matters
Rules would compare or count the wrong thing.

## Example
```
[facts.territoire]
population = \"55 000\"     # an integer: 55000 or 55_000
```

## How to fix
Write the value with the declared type; enum values are variant names (`medecin_generaliste`).";

MISSING_FACT = "E0604" "missing-fact" Error "a required fact or field is absent"
"## What it means
The workflow declares the fact (or record field) without `?`, so every project must give it.

## Why it matters
Rules reading it could not be evaluated.

## Example
```
[facts.territoire]
nom = \"Sud 28\"            # `population` is required
```

## How to fix
Add it; if it is genuinely unknown, the rules should declare it optional (`int?`).";

UNKNOWN_FACT = "E0605" "unknown-fact" Error "a fact or field the workflow does not declare"
"## What it means
The project file gives a fact or a record field that the pinned workflow (and region) do not
declare.

## Why it matters
It would be silently ignored: usually a typo, and the real fact is then missing.

## Example
```
[facts.territoire]
populaton = 55000
```

## How to fix
Use the suggested name, or declare the fact in the rules.";

JOURNAL_ENTRY = "E0606" "journal-entry" Error "a journal entry names an unknown step, actor or outcome"
"## What it means
Each `[[journal]]` entry needs a `step` of the pinned workflow (or region) and a `date`; a
decision needs an `outcome` it declares; a step takes none; `actor` must be a declared actor.

## Why it matters
The entry could not be replayed: the project's state would be wrong.

## Example
```
[[journal]]
step = \"validation_projet\"
date = 2018-07-02            # which outcome?
```

## How to fix
Use the names the rules declare; add `outcome = \"valide\"` for a decision.";

JOURNAL_DATE = "E0607" "journal-date" Error "a journal entry is dated after today or before the previous entry"
"## What it means
The journal is a chronicle: each entry's date is on or after the previous one's, and not in the
future of the project's `today`.

## Why it matters
Deadlines and durations are computed from these dates.

## Example
```
[[journal]]
step = \"agc\"
date = 2018-05-14
[[journal]]
step = \"declaration_association\"
date = 2018-04-01           # before the previous entry
```

## How to fix
Correct the date, or record the entries in the order they happened.";

JOURNAL_ORDER = "W0608" "journal-order" Warning "a journal entry records a step before what it waits for"
"## What it means
The step is recorded while its prerequisites are not all recorded yet.

## Why it matters
Old projects sometimes did things in another order; cpts keeps the entry (the journal is what
happened) but the status may not match what the rules expect.

## Example
```
[[journal]]
step = \"signature_aci\"     # recorded before `validation_projet`
date = 2021-03-01
```

## How to fix
Record the earlier steps with their dates, or check the step's name.";

RULE_FAILED = "E0701" "rule-failed" Error "a rule does not hold for the project"
"## What it means
A rule of the workflow is false for the project's facts: the step it belongs to cannot be done
yet (error), or the project should be looked at (warning, info). The diagnostic underlines the
part of the condition that is false and shows the values that made it false. Its severity is
the rule's own.

## Why it matters
It is why the project is blocked, and what to change to move on.

## Example
```
rule ca_pluriprofessionnel warning \"Le CA devrait réunir au moins deux professions\"
  expect count(distinct(m.profession for m in membres where m.id in association.ca)) >= 2
```
shown with `count(…)` labelled `= 1`.

## How to fix
Change the project's facts (or do the missing step); if the rule itself is wrong, fix the rules.";

RULE_UNEVALUABLE = "E0702" "rule-unevaluable" Error "a rule cannot be evaluated on the project's facts"
"## What it means
Evaluating the rule failed: an index outside a list, a division by zero, a plugin function with
no plugin host, a comparison with an absent value.

## Why it matters
Neither holding nor failing, the rule cannot tell whether the step may be done.

## Example
```
value forfait_annuel: int = forfait_fonctionnement[taille - 1]   // taille = 5
```

## How to fix
Check the facts the rule reads (the message names the failing part), or guard the rule.";

ADVANCE_REFUSED = "E0609" "advance-refused" Error "the step cannot be recorded now"
"## What it means
`cpts advance` checks the step before writing anything: it must exist in the pinned workflow,
its prerequisites must be met and its rules at error level must hold on the entry's date; a
decision needs one of its outcomes; the date cannot be before the last entry nor in the future.

## Why it matters
The journal is the project's legal chronicle: an entry that the rules do not allow would make
every later status wrong. Nothing was written; the file is byte-for-byte unchanged.

## Example
`cpts advance sud-28.toml --step signature_contrat` while `validation_projet` has not been taken.

## How to fix
Do what the explanation says first (the prerequisite, or the facts the failing rule reads), then
advance again.";

CONCURRENT_CHANGE = "E0610" "concurrent-change" Error "the project file changed while it was being advanced"
"## What it means
Between reading the project file and writing the new entry, someone (or something) changed it.

## Why it matters
Writing would silently drop their change. Nothing was written.

## Example
Two referents running `cpts advance` on the same file at the same moment.

## How to fix
Run the command again: it will read the current file.";

PLUGIN_NOT_FOUND = "E0801" "plugin-not-found" Error "a plugin the rules declare cannot be found"
"## What it means
A region declares `plugin alias \"package\" version \"req\" { … }`, but no file `package.wasm` was
found in the plugin directories (`--plugins DIR`, then `CPTS_PLUGIN_PATH`), and cpts does not
bundle a plugin of that name.

## Why it matters
Rules that call the plugin cannot be evaluated, and its signatures cannot be checked.

## Example
`plugin bre \"bretagne\" version \"^0.1\" { … }` with no `bretagne.wasm` anywhere.

## How to fix
Build the plugin (`cargo build --release --target wasm32-wasip2` in its crate) and pass the
folder that holds `package.wasm` with `--plugins`, or set `CPTS_PLUGIN_PATH`.";

PLUGIN_INVALID = "E0802" "plugin-invalid" Error "a plugin file cannot be loaded"
"## What it means
The file is not a WebAssembly component, does not compile, or its manifest (what `describe`
returns) is inconsistent: a package name that is not lowercase with dashes, a version that is
not semver, a function declared twice, or `describe` itself trapped or ran out of fuel.

## Why it matters
Nothing the plugin offers can be used.

## Example
A core module (`wasm32-unknown-unknown`) instead of a component, or a truncated file.

## How to fix
Rebuild the plugin with the cpts SDK for `wasm32-wasip2`; `cpts plugin inspect FILE` shows what
the host reads from it.";

PLUGIN_CAPABILITY = "E0803" "plugin-capability" Error "a plugin imports a capability"
"## What it means
The component imports something from its host: a filesystem, network, clock, randomness,
environment, standard streams, or any other function. cpts gives plugins none: it refuses to
load a plugin that imports anything, and names each import.

## Why it matters
Plugins are untrusted code run on a referent's or an ARS analyst's machine. A rule's verdict must
depend on the project's facts only: the same call must always give the same answer.

## Example
A plugin that reads a file with `std::fs`, asks the time with `SystemTime::now` or opens a socket.

## How to fix
Compute from the arguments only. Data a plugin needs is passed by the rules as arguments (facts,
parameters); a date is passed as `today`.";

PLUGIN_INTERFACE = "E0804" "plugin-interface" Error "a plugin does not export a supported interface version"
"## What it means
A plugin exports the WIT interface `cpts:plugin/plugin` at some version. This host supports
`0.1.x`; the plugin exports another version, or no plugin interface at all.

## Why it matters
Calls would not mean the same thing on both sides.

## Example
A plugin built against `cpts:plugin/plugin@0.2.0` loaded by a cpts that knows `0.1.x`.

## How to fix
Rebuild the plugin with the cpts SDK that matches this cpts (`cpts plugin inspect` prints the
interface a plugin exports).";

PLUGIN_SIGNATURE = "E0805" "plugin-signature" Error "a plugin differs from what the rules declare of it"
"## What it means
The loaded plugin does not match its declaration in the region: its version does not satisfy the
requirement, it serves another region, it lacks a declared function, or a function's parameter
or result types differ from the declaration.

## Why it matters
The rules were type-checked against the declaration: a different signature would hand the plugin
arguments it does not expect, or give the rules a result of the wrong type.

## Example
```
plugin bfc \"bourgogne-franche-comte\" version \"^0.1\" {
  fn parite_gouvernance(comite: set<text>, membres: list<membre>) -> bool   // plugin: list<text>
}
```

## How to fix
Make the declaration match the plugin (`cpts plugin inspect FILE` prints its signatures), or use
the plugin version the rules were written for.";

PLUGIN_CALL_FAILED = "E0806" "plugin-call-failed" Error "a plugin call gave no result"
"## What it means
A rule called a plugin function, and the call failed: the plugin trapped (a panic, an
`unreachable`), used all the fuel of one call, asked for more memory than allowed, ran past the
time limit, refused its arguments, or returned a result that does not have the declared type or
is too large. The message names the plugin, its version, the function, and the fuel used.

## Why it matters
The rule that called it cannot be evaluated; the other rules are, and the plugin instance is
made anew for the next call.

## Example
`bfc.parite_gouvernance(association.comite_pilotage, membres)` on a plugin that loops forever:
`ran out of fuel: used all 10 000 000 units of the call's budget`.

## How to fix
Report it to the plugin's authors with the project file: the same call always uses the same
fuel, so the failure reproduces.";
}
