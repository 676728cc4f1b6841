"""The data model: strict pydantic models for the YAML files under ``data/``.

Unknown keys are rejected (``extra="forbid"``), so a typo fails loudly. Rules that need one file
(an end after its start, a source on every event) live here in validators; rules that need the whole
library (a cited source exists, ids unique across files) live in :mod:`timelines.loading`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .dates import PartialDate, window
from .vocab import AGENCY_IDS, DATE_QUALIFIERS, KIND_IDS, SOURCE_KINDS

MAX_QUOTE = 300
MAX_LABEL = 32  # a direct label on a chart: a few words (the date is added when drawn)


def _date_text(value: object) -> object:
    """YAML reads 2014 as an int: accept it as the year; check the form of strings."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        PartialDate.parse(value)  # raises DateFormatError (a ValueError) with a clear message
    return value


Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80),
    Field(description="A stable id: lower-case letters, digits and hyphens, e.g. 'first-referral'."),
]
DateText = Annotated[
    str,
    BeforeValidator(_date_text),
    Field(description="YYYY, YYYY-MM or YYYY-MM-DD, at the precision the source gives."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
KindId = Literal[KIND_IDS]  # type: ignore[valid-type]
AgencyId = Literal[AGENCY_IDS]  # type: ignore[valid-type]
Qualifier = Literal[DATE_QUALIFIERS]  # type: ignore[valid-type]
SourceKind = Literal[SOURCE_KINDS]  # type: ignore[valid-type]


class Strict(BaseModel):
    """Base for every model: unknown keys rejected, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Citation(Strict):
    """A source cited for a fact, with a short quotation or a locator (or both)."""

    source: Id = Field(description="The id of an entry in data/sources.yaml.")
    quote: Annotated[str, StringConstraints(max_length=MAX_QUOTE)] | None = Field(
        None, description=f"A short quotation (at most {MAX_QUOTE} characters): cite, never copy."
    )
    locator: Text | None = Field(None, description="Where in the source: a section, page or paragraph.")

    @model_validator(mode="after")
    def _quote_or_locator(self) -> Citation:
        if not (self.quote or self.locator):
            raise ValueError("a citation needs a quote or a locator; add 'quote: \"...\"' from the source")
        return self


Citations = Annotated[list[Citation], Field(min_length=1)]


class Dated(Strict):
    """Fields shared by everything with a date: the date, its qualifier and the upper bound."""

    date: DateText
    date_qualifier: Qualifier = Field(
        "on", description="on (default), about (one unit either side), before, after, or between."
    )
    date_until: DateText | None = Field(None, description="With 'between': the latest date.")

    @model_validator(mode="after")
    def _qualifier_rules(self) -> Dated:
        if self.date_qualifier == "between" and self.date_until is None:
            raise ValueError("date_qualifier 'between' needs date_until, the latest date it can be")
        if self.date_until is not None:
            if self.date_qualifier != "between":
                raise ValueError("date_until is only used with date_qualifier: between")
            if PartialDate.parse(self.date_until).end < PartialDate.parse(self.date).start:
                raise ValueError(f"date_until {self.date_until} is before date {self.date}")
        return self


class Finding(Strict):
    """What a review later found about an event: kept apart from what happened."""

    text: Text = Field(description="The finding, in plain words.")
    by: Text = Field(description="Who found it, e.g. 'Southport Prevent learning review'.")
    date: DateText = Field(description="When the finding was made public.")
    missed_opportunity: bool = Field(False, description="Does the finding mark a missed opportunity?")
    step: Id | None = Field(
        None, description="The pathway step (an id in data/process.yaml) the finding says was missed, skipped,"
        " cut short or late.")
    sources: Citations = Field(description="Where the finding is reported.")


class Claim(Strict):
    """One side of a disagreement between sources."""

    value: Text = Field(description="What this side says.")
    sources: Citations = Field(description="The sources that say it.")


class Dispute(Strict):
    """A point on which sources disagree: every side is kept, none resolved silently."""

    about: Text = Field(description="What is disputed, e.g. 'mentoring sessions planned'.")
    claims: Annotated[list[Claim], Field(min_length=2, description="Two or more sides.")]
    note: Text | None = Field(None, description="Context for the reader; never a silent verdict.")


class Event(Dated):
    """One thing that happened, on one agency's lane."""

    id: Id = Field(description="Stable, unique within its file; links and URLs use it.")
    end: DateText | None = Field(None, description="End of a span, such as time in Channel.")
    sequence: int | None = Field(None, description="Orders events on the same day (1, 2, ...).")
    kind: KindId = Field(description="What kind of event (table below).")
    agency: AgencyId = Field(description="Whose action: the lane it is drawn on (table below).")
    title: Text = Field(description="A short, neutral headline.")
    label: Text | None = Field(
        None, description=f"A few words labelling the event on the chart, at most {MAX_LABEL} characters, without"
        " the date (added when drawn), e.g. 'Attack'. Without it a rule by kind labels key events.")
    detail: Text | None = Field(None, description="Plain-language detail.")
    age: int | None = Field(None, ge=0, le=120, description="The subject's age, where a source gives it.")
    sources: Citations = Field(description="At least one citation.")
    findings: list[Finding] = Field(default_factory=list, description="What reviews later found.")
    disputed: list[Dispute] = Field(default_factory=list, description="Where sources disagree.")
    question: Text | None = Field(None, description="A discussion question for trainers.")
    step: Id | None = Field(
        None, description="The pathway step (an id in data/process.yaml) this event is, where its kind alone"
        " does not say, e.g. which post-exit review.")

    @field_validator("label")
    @classmethod
    def _short_label(cls, label: str | None) -> str | None:
        if label is not None and len(label) > MAX_LABEL:
            raise ValueError(
                f"label is {len(label)} characters, more than {MAX_LABEL}: keep it to a few words such as "
                "'1st referral' (the chart adds when it happened; the full title stays in the table)")
        return label

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        if self.end is not None:
            start, _ = window(self.date, self.date_qualifier, self.date_until)
            end = PartialDate.parse(self.end)
            if start is not None and end.end < start:
                raise ValueError(f"end {self.end} is before the start {self.date}")
        return self


class Total(Strict):
    """A total stated in a source, e.g. 'at least 15 contact points with public services'."""

    measure: Text = Field(description="What is counted, e.g. 'contact points with public services'.")
    value: int = Field(ge=0, description="The number the source states.")
    qualifier: Literal["exactly", "at least", "at most", "about"] = Field(
        "exactly", description="exactly, at least, at most or about.")
    counts_kinds: list[KindId] = Field(
        default_factory=list, description="Event kinds recorded here that count towards it."
    )
    sources: Citations = Field(description="The source that states the total.")


class Case(Strict):
    """One case file: data/cases/<id>.yaml."""

    id: Id = Field(description="The case's id; the file is named <id>.yaml and URLs use it.")
    title: Text = Field(description="A short headline for the case.")
    summary: Text = Field(description="Two or three neutral sentences.")
    subject: Text = Field(description="The subject as official statements name them.")
    outcome_event: Id = Field(description="The id of the event cases are aligned on (the attack).")
    totals: list[Total] = Field(default_factory=list, description="Totals stated in sources.")
    events: Annotated[list[Event], Field(min_length=1, description="What happened, at least one.")]


class Source(Strict):
    """An entry of data/sources.yaml."""

    id: Id = Field(description="The id events cite.")
    title: Text = Field(description="The document's title.")
    publisher: Text = Field(description="Who published it.")
    date: DateText = Field(description="Publication date, at the precision known.")
    kind: SourceKind = Field(description="What kind of document (list below).")
    url: Annotated[str, StringConstraints(pattern=r"^https://")] | None = Field(
        None, description="Where it can be read, where known (https only).")
    primary: bool = Field(description="true for a core document, false for the supplementary record.")
    file: Text | None = Field(None, description="The file in shared/sources/ holding its text.")
    note: Text | None = Field(None, description="Anything a reader should know, e.g. where the date comes from.")


class SourceList(Strict):
    sources: Annotated[list[Source], Field(min_length=1, description="Every source cited.")]


class Commitment(Strict):
    """A government commitment: what was promised, by when, and what the sources say of delivery."""

    id: Id = Field(description="Stable id.")
    promise: Text = Field(description="What was promised, in plain words.")
    made: DateText = Field(description="When it was promised.")
    due: DateText | None = Field(None, description="The deadline, if one was stated.")
    delivered: DateText | None = Field(None, description="When a source reports it done.")
    delivery_sources: list[Citation] = Field(default_factory=list, description="Sources reporting delivery.")
    sources: Citations = Field(description="Where the promise was made.")

    @model_validator(mode="after")
    def _delivery_cited(self) -> Commitment:
        if self.delivered and not self.delivery_sources:
            raise ValueError("'delivered' needs delivery_sources: cite the source that reports it done")
        return self


class Context(Strict):
    """data/context.yaml: policy and oversight events shared by all cases."""

    events: list[Event] = Field(description="Policy and oversight events shared by all cases.")
    commitments: list[Commitment] = Field(default_factory=list, description="Government commitments.")


class Term(Strict):
    term: Text = Field(description="The term or abbreviation, e.g. 'PLR'.")
    stands_for: Text | None = Field(None, description="The expansion of an abbreviation.")
    definition: Text = Field(description="A plain definition.")
    sources: list[Citation] = Field(default_factory=list, description="Where the evidence gives it.")


class Glossary(Strict):
    terms: Annotated[list[Term], Field(min_length=1, description="The glossary's terms.")]


class Step(Strict):
    """A step of the expected pathway that cases are compared against."""

    id: Id = Field(description="Stable id of the step.")
    title: Text = Field(description="The step's name.")
    description: Text = Field(description="What should happen at this step.")
    kinds: Annotated[list[KindId], Field(min_length=1, description="Event kinds that count as this step.")]
    expected_after: Text | None = Field(
        None, description="Timing relative to the previous step, e.g. '6 months after exit'."
    )
    expected_months: int | None = Field(None, ge=0, description="That timing in months, if stated.")
    expected_from: Id | None = Field(
        None, description="The step that timing counts from (default: the step before).")
    optional: bool = Field(False, description="A branch that need not happen in every case.")
    sources: Citations = Field(description="Where the pathway is described.")


class Process(Strict):
    steps: Annotated[list[Step], Field(min_length=1, description="The expected steps, in order.")]


# The file kinds, one root model each: the loader, the JSON Schema export and the README loop over this.
FILE_MODELS: dict[str, type[Strict]] = {
    "case": Case,
    "sources": SourceList,
    "context": Context,
    "glossary": Glossary,
    "process": Process,
}
