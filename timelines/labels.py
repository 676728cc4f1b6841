"""Direct labels: which events a chart names in words, what it says, and where the words go.

What a label says comes from the data: an event's own ``label`` where the data give one, otherwise a
rule by kind for the events a reader needs first (each referral with its ordinal, decisions and
closures, adoption into and exit from Channel, the outcome, learning reviews published and the
Commissioner's report). The date is added at the precision the source gives ("Dec 2019",
"29 Jul 2024", "2016"). A missed opportunity says so on a second line.

Where the words go is decided here too, by a greedy layout in pixels on an estimate of the plot's
size: the most important label is placed first, each at the nearest free spot around its marker (above,
below, beside, then further out with a leader line), never over another label, a marker or a leader
line; a leader crosses no marker but those touching the one it names (a marker inside a cluster
could otherwise never be named). A label with no room as written splits its first line in two; one
that still finds no free spot is dropped rather than drawn over another. Positions are returned in
data units for Plotly annotations drawn with ``axref="x"`` and ``ayref="y"``: the layout scales with the
axes, so a wider chart, or a zoom, only moves labels further apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from . import schema
from .analysis.table import records
from .dates import PartialDate

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHAR_EM = 0.53  # Arial averages about 0.5 em a glyph in such text (digits 0.56): err a little wide
LINE_EM = 1.3
PAD_PX = 6
MAX_LEADER_PX = 260  # a label further than this from its marker is dropped rather than drawn
MAX_TRIED = 30  # at most this many labels are tried, most important first (the rest are dropped)
CELL_PX = 48  # the grid that finds the markers near a spot
MISSED_NOTE = "Missed opportunity (review)"
UNDATED_NOTE = "Finds a missed opportunity, not dated"
REPORT_FAMILY = "oversight"  # findings reported by these events are not events on the report's date

# Which kinds a label names by default, how, and how much it matters when space runs out (higher first).
RULES: dict[str, tuple[str, int]] = {
    "referral": ("{ordinal}referral", 80),
    "decision": ("Decision on {ordinal}referral", 62),
    "case_closure": ("Case closed", 58),
    "adoption": ("Adopted into Channel", 76),
    "exit": ("Exit from Channel", 68),
    "review_published": ("Learning review published", 50),
    "commissioners_report": ("Commissioner's report", 46),
}
# The key events of the pathway: a case timeline names each of them, on screen and on a slide.
KEY_KINDS = ("referral", "decision", "case_closure", "adoption", "exit")
OUTCOME_PRIORITY = 100
DATA_PRIORITY = 90
MISSED_BONUS = 12
MISSED_PRIORITY = 60  # a missed opportunity of a kind the rule does not name
SHORT_TITLE = 24  # such an event is named by its title if the title is this short, else by its kind


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _one(date: PartialDate) -> str:
    if date.day is not None:
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    if date.month is not None:
        return f"{MONTHS[date.month - 1]} {date.year}"
    return str(date.year)


def short_date(text: str, qualifier: str = "on", until: str | None = None) -> str:
    """A date as short as a label needs, at the precision given: 'Dec 2019', '29 Jul 2024', '2016',
    'c. Feb 2020', 'before 12 Feb 2025', 'Feb-Apr 2021' (between two dates)."""
    first = PartialDate.parse(text)
    if qualifier == "between" and until:
        last = PartialDate.parse(until)
        if first.year == last.year and first.precision == last.precision == "month":
            return f"{MONTHS[first.month - 1]}–{MONTHS[last.month - 1]} {first.year}"
        if first.precision == last.precision == "year":
            return f"{first.year}–{last.year}"
        return f"{_one(first)} – {_one(last)}"
    prefix = {"about": "c. ", "before": "before ", "after": "after "}.get(qualifier, "")
    return prefix + _one(first)


@dataclass(frozen=True)
class Label:
    """The words a chart puts beside one event."""

    key: str  # the event's key on the chart (figures.event_key, or '<case>:<id>' on the comparison)
    event_id: str
    words: str  # what the event is: the data's label or the rule's words
    date: str  # when, at the precision known
    priority: int
    from_data: bool
    note: str | None = None  # a second line: a missed opportunity, or a finding its source does not date

    @property
    def lines(self) -> list[str]:
        first = f"{self.words}, {self.date}" if self.date else self.words
        return first.split("\n") + ([self.note] if self.note else [])

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _is_missed(row: Mapping) -> bool:
    return bool(row["missed_opportunity"])


def missed_on_its_own_date(row: Mapping) -> bool:
    """Is this a missed opportunity drawn on the event's own date? A report's finding about something
    else (its date not given by the source) is not: it is not drawn as if it happened on the report's date."""
    return _is_missed(row) and row["family"] != REPORT_FAMILY


def case_labels(rows: pd.DataFrame, case: schema.Case | None = None, context: schema.Context | None = None,
                *, key: Callable[[Mapping], str] | None = None) -> list[Label]:
    """The labels of the events in ``rows`` (rows of the event table), most important first.

    An event with a ``label`` in the data gets it; otherwise the rule by kind decides whether it is
    labelled and with what words. Context events are labelled only when the data give a label.
    ``key`` gives an event's key on the chart (default: its id, 'context:<id>' for context events).
    """
    models: dict[tuple[str, str], schema.Event] = {}
    for layer, model in (("case", case), ("context", context)):
        for event in (model.events if model is not None else ()):
            models[(layer, event.id)] = event
    outcome = case.outcome_event if case is not None else None
    counts: dict[str, int] = {}
    n_referrals: dict[str, int] = {}
    for cid, kind, layer in zip(rows["case_id"].tolist(), rows["kind"].tolist(), rows["layer"].tolist(), strict=True):
        n_referrals[cid] = n_referrals.get(cid, 0) + (kind == "referral" and layer == "case")
    out = []
    ordered = rows.assign(_o=rows["earliest"].fillna(rows["latest"])).sort_values(["_o"], kind="stable")
    for row in records(ordered):
        layer, kind = row["layer"], row["kind"]
        if kind == "referral" and layer == "case":
            counts[row["case_id"]] = counts.get(row["case_id"], 0) + 1
        refs = counts.get(row["case_id"], 0)
        event = models.get((layer, row["event_id"]))
        chart_key = key(row) if key else (f"context:{row['event_id']}" if layer == "context" else row["event_id"])
        date = short_date(row["date_text"], row["date_qualifier"], row["date_until"]
                          if isinstance(row["date_until"], str) else None)
        note = None
        if _is_missed(row):
            note = MISSED_NOTE if missed_on_its_own_date(row) else UNDATED_NOTE
        if event is not None and event.label:
            words, priority, from_data = event.label, DATA_PRIORITY, True
        elif layer != "case":
            continue
        elif row["event_id"] == outcome:
            words, priority, from_data = row["kind_label"], OUTCOME_PRIORITY, False
        elif kind in RULES:
            template, priority = RULES[kind]
            many = n_referrals.get(row["case_id"], 0) > 1
            words = template.format(ordinal=f"{ordinal(max(refs, 1))} " if many else "")
            words = words[0].upper() + words[1:]
            if kind == "referral" and not many:
                words = "Referral to Prevent"
            from_data = False
        elif note:
            title = row["title"]
            words = title if len(title) <= SHORT_TITLE else row["kind_label"]
            priority, from_data = MISSED_PRIORITY, False
        else:
            continue
        if kind == "referral" and not pd.isna(row["age"]):
            date = f"{date}, aged {int(row['age'])}"
        if note:
            priority += MISSED_BONUS
        out.append(Label(chart_key, row["event_id"], words, date, priority, from_data, note))
    out.sort(key=lambda lb: -lb.priority)
    return out


# --- layout ----------------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels from the plot's top left


@dataclass(frozen=True)
class Geometry:
    """The plot area as the layout estimates it: its data ranges and its size in pixels.

    ``y_top`` and ``y_bottom`` are the data values at the top and the bottom edge (a reversed axis
    has y_top < y_bottom)."""

    x0: float
    x1: float
    width_px: float
    y_top: float
    y_bottom: float
    height_px: float

    def px(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.x0) / (self.x1 - self.x0) * self.width_px,
                (y - self.y_top) / (self.y_bottom - self.y_top) * self.height_px)

    def data(self, px: float, py: float) -> tuple[float, float]:
        return (self.x0 + px / self.width_px * (self.x1 - self.x0),
                self.y_top + py / self.height_px * (self.y_bottom - self.y_top))


def text_size(lines: Sequence[str], font_px: float) -> tuple[float, float]:
    """The estimated width and height of a text box in pixels."""
    width = max((len(line) for line in lines), default=0) * font_px * CHAR_EM + PAD_PX
    return width, len(lines) * font_px * LINE_EM + 4


@dataclass
class Placed:
    """A label placed: its anchor (the marker) and the centre of its text, in data units."""

    label: Label
    x: float
    y: float
    tx: float
    ty: float
    box: Box  # estimated, in pixels
    leader: bool  # is a leader line drawn from the text to the marker?
    lines: list[str] = field(default_factory=list)
    xanchor: str = "center"  # the side of the text at tx: the side nearest the marker




def overlaps(a: Box, b: Box, margin: float = 0.0) -> bool:
    return a[0] < b[2] + margin and b[0] < a[2] + margin and a[1] < b[3] + margin and b[1] < a[3] + margin


def _segment_hits(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """Does the segment from p to q pass through the box (Liang-Barsky clipping)?"""
    dx, dy = q[0] - p[0], q[1] - p[1]
    lo, hi = 0.0, 1.0
    for step, room in ((-dx, p[0] - box[0]), (dx, box[2] - p[0]), (-dy, p[1] - box[1]), (dy, box[3] - p[1])):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return hi > lo and hi > 1e-9 and lo < 1 - 1e-9


def _crosses(p1: tuple[float, float], p2: tuple[float, float], q1: tuple[float, float],
             q2: tuple[float, float]) -> bool:
    """Do two segments cross (sharing an end point does not count)?"""
    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2 = side(q1, q2, p1), side(q1, q2, p2)
    d3, d4 = side(p1, p2, q1), side(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


@lru_cache(maxsize=1024)
def _candidates(w: float, h: float, r: float) -> tuple[tuple[float, float], ...]:
    """Offsets from a marker to try for a text box of w x h px, nearest first (the same for every marker of
    a size, so they are worked out once)."""
    near = r + 3 + h / 2
    out = []
    for level in range(10):
        dy = near + level * h * 0.8
        for sign in (-1, 1):
            for dx in (0.0, w * 0.3, -w * 0.3, w / 2 + 4, -(w / 2 + 4)):
                out.append((dx, sign * dy))
    for extra in (0, 24, 60, 110, 170, 250, 340, 450, 580):
        for sign in (1, -1):
            dx = sign * (r + 6 + w / 2 + extra)
            for level in range(8):
                for dy in ((0.0,) if level == 0 else (-level * h, level * h)):
                    out.append((dx, dy))
    out.sort(key=lambda c: abs(c[0]) * 0.5 + abs(c[1]) + (0 if c[1] <= 0 else 2))
    return tuple(out)


def place(labels: Iterable[tuple[Label, float, float]], geometry: Geometry, *,
          markers: Iterable[tuple[float, float, float]] = (), obstacles: Iterable[Box] = (),
          font_px: float = 14, max_labels: int | None = None,
          max_leader_px: float = MAX_LEADER_PX) -> tuple[list[Placed], list[Label]]:
    """Place labels (label, anchor x, anchor y), most important first, at the nearest free spot.

    ``markers`` are (x, y, radius in px) of every marker drawn, labelled or not: no label covers one.
    ``obstacles`` are other boxes (in px) to keep clear, such as a silence's caption. Returns the
    placed labels and the ones dropped for want of room. Labels of equal importance are tried in a
    few orders (by time either way, by height either way); the layout that places the most wins.
    """
    todo = sorted(labels, key=lambda t: -t[0].priority)
    skipped = [t[0] for t in todo[MAX_TRIED:]]
    todo = todo[:MAX_TRIED]
    markers, obstacles = list(markers), list(obstacles)
    orders = (
        sorted(todo, key=lambda t: (-t[0].priority, t[1])),
        sorted(todo, key=lambda t: (-t[0].priority, -t[1])),
        sorted(todo, key=lambda t: (-t[0].priority, t[2], -t[1])),
        sorted(todo, key=lambda t: (-t[0].priority, -t[2], t[1])),
    )
    grid = _Grid([(*geometry.px(x, y), r) for x, y, r in markers])
    free = _FreeSpots(geometry, grid, max_leader_px)  # shared by the orders: a label's spots clear of markers
    best = None
    for order in orders:
        result = _place_in_order(order, geometry, grid, obstacles, font_px, max_labels, max_leader_px, free)
        result = (result[0], result[1] + skipped)
        if not result[1]:
            return result  # everything placed: no other order can do better
        score = (len(result[0]), sum(p.label.priority for p in result[0]), -sum(p.leader for p in result[0]))
        if best is None or score > best[0]:
            best = (score, result)
    return best[1]


class _Grid:
    """Marker boxes (in px) bucketed on a grid, to find those near a box or a segment quickly."""

    def __init__(self, marks: list[tuple[float, float, float]]) -> None:
        self.marks = marks
        self.cells: dict[tuple[int, int], list[Box]] = {}
        for px, py, r in marks:
            box = (px - r, py - r, px + r, py + r)
            for cell in self._cells(box):
                self.cells.setdefault(cell, []).append(box)

    @staticmethod
    def _cells(box: Box):
        for i in range(int(box[0] // CELL_PX), int(box[2] // CELL_PX) + 1):
            for j in range(int(box[1] // CELL_PX), int(box[3] // CELL_PX) + 1):
                yield i, j

    def near(self, box: Box) -> set[Box]:
        return {b for cell in self._cells(box) for b in self.cells.get(cell, ())}


@lru_cache(maxsize=1024)
def _candidate_array(w: float, h: float, r: float) -> np.ndarray:
    return np.array(_candidates(w, h, r), dtype="float64").reshape(-1, 2)


class _FreeSpots:
    """The candidate spots of a text around a marker that lie inside the plot, within a leader's reach and
    clear of every marker, in the order they are tried: what does not depend on the labels placed before
    it, so worked out once for all the orders :func:`place` tries, and for all candidates at once."""

    def __init__(self, geometry: Geometry, grid: _Grid, max_leader_px: float) -> None:
        self.width, self.height, self.max_leader_px = geometry.width_px, geometry.height_px, max_leader_px
        boxes = [(px - r, py - r, px + r, py + r) for px, py, r in grid.marks]
        self.marks = np.array(boxes, dtype="float64").reshape(-1, 4)
        self.found: dict[tuple[float, ...], list[tuple[float, float, Box, tuple[float, float], float]]] = {}

    def spots(self, ax: float, ay: float, r: float, w: float, h: float
              ) -> list[tuple[float, float, Box, tuple[float, float], float]]:
        """(centre x, centre y, box, the box's point nearest the marker, its distance) of each spot."""
        key = (ax, ay, r, w, h)
        if key in self.found:
            return self.found[key]
        offsets = _candidate_array(w, h, r)
        cx, cy = ax + offsets[:, 0], ay + offsets[:, 1]
        # the same arithmetic, in the same order, as a box of one candidate (exact in floating point)
        left, top, right, bottom = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
        inside = (left >= 0) & (top >= 0) & (right <= self.width) & (bottom <= self.height)
        m = self.marks
        covers = ((left[:, None] < m[:, 2] + 1) & (m[:, 0] < right[:, None] + 1)
                  & (top[:, None] < m[:, 3] + 1) & (m[:, 1] < bottom[:, None] + 1))  # overlaps(box, marker, 1)
        out = []
        columns = (cx.tolist(), cy.tolist(), left.tolist(), top.tolist(), right.tolist(), bottom.tolist())
        for k in np.flatnonzero(inside & ~covers.any(axis=1)).tolist():
            x, y, *box = (c[k] for c in columns)
            edge = (min(max(ax, box[0]), box[2]), min(max(ay, box[1]), box[3]))
            reach = ((edge[0] - ax) ** 2 + (edge[1] - ay) ** 2) ** 0.5
            if reach <= self.max_leader_px:
                out.append((x, y, tuple(box), edge, reach))
        self.found[key] = out
        return out


def _place_in_order(labels: list[tuple[Label, float, float]], geometry: Geometry,
                    grid: _Grid, obstacles: list[Box], font_px: float,
                    max_labels: int | None, max_leader_px: float, free: _FreeSpots) -> tuple[list[Placed], list[Label]]:
    taken: list[Box] = list(obstacles)
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    placed: list[Placed] = []
    dropped: list[Label] = []
    for label, x, y in labels:
        if max_labels is not None and len(placed) >= max_labels:
            dropped.append(label)
            continue
        ax, ay = geometry.px(x, y)
        r = max([(b[2] - b[0]) / 2 for b in grid.near((ax - 1, ay - 1, ax + 1, ay + 1))
                 if abs((b[0] + b[2]) / 2 - ax) < 1 and abs((b[1] + b[3]) / 2 - ay) < 1], default=8.0)
        # a leader may cross the markers that touch the one it names (its cluster), no other
        own = (ax - 2 * r, ay - 2 * r, ax + 2 * r, ay + 2 * r)
        spot = None
        for lines in _shapes(label.lines):  # as written, then narrower: its long lines split in two
            spot = _spot(lines, ax, ay, r, own, grid, taken, leaders, font_px, max_leader_px, free)
            if spot is not None:
                break
        if spot is None:
            dropped.append(label)
            continue
        box, cx, cy, leader = spot
        taken.append(box)
        if leader:
            leaders.append(((ax, ay), (cx, cy)))
        # The text is anchored on its side nearest the marker, so that a text narrower than the
        # estimate still sits close to what it names.
        xanchor, px = ("left", box[0]) if box[0] >= ax else ("right", box[2]) if box[2] <= ax else ("center", cx)
        tx, ty = geometry.data(px, cy)
        placed.append(Placed(label, x, y, tx, ty, box, leader, lines, xanchor))
    return placed, dropped


WRAP_ABOVE = 22  # a line longer than this may be split in two when the label finds no room as written


def _shapes(lines: list[str]) -> list[list[str]]:
    """A label's lines as written, then (if its first line is long) with that line split near its middle."""
    if len(lines[0]) <= WRAP_ABOVE:
        return [lines]
    split = []
    for n, line in enumerate(lines):
        if len(line) <= WRAP_ABOVE or n:  # the first line (what and when) splits; a note stays whole
            split.append(line)
            continue
        cut = min((i for i, ch in enumerate(line) if ch == " "), key=lambda i: abs(i - len(line) / 2), default=None)
        split += [line] if cut is None else [line[:cut], line[cut + 1:]]
    return [lines, split]


def _spot(lines: list[str], ax: float, ay: float, r: float, own: Box, grid: _Grid,
          taken: list[Box], leaders: list, font_px: float, max_leader_px: float,
          free: _FreeSpots) -> tuple[Box, float, float, bool] | None:
    """The nearest free spot for a text of these lines naming the marker at (ax, ay): its box, centre and
    whether it needs a leader line; None when there is none."""
    w, h = text_size(lines, font_px)
    # Only boxes within a leader's reach (plus the text's size) can meet a candidate: test those alone.
    reach_box = (ax - max_leader_px - w - 3, ay - max_leader_px - h - 3, ax + max_leader_px + w + 3,
                 ay + max_leader_px + h + 3)
    taken = [b for b in taken if overlaps(b, reach_box, 0)]
    # the spots inside the plot, within reach and clear of markers (see _FreeSpots), nearest first; every
    # test must pass, so the order of the tests never changes the spot chosen
    for cx, cy, box, edge, reach in free.spots(ax, ay, r, w, h):
        if any(overlaps(box, other, 2) for other in taken):
            continue
        leader = reach > r + 6
        if any(_segment_hits(p, q, box) for p, q in leaders):
            continue
        if leader and any(_crosses((ax, ay), (cx, cy), p, q) for p, q in leaders):
            continue
        if leader and (any(_segment_hits((ax, ay), (cx, cy), other) for other in taken  # a bar the marker is on
                           if not (other[0] <= ax <= other[2] and other[1] <= ay <= other[3]))
                       or any(_segment_hits((ax, ay), edge, (mb[0] - 5, mb[1] - 5, mb[2] + 5, mb[3] + 5))
                              for mb in grid.near((min(ax, edge[0]) - 5, min(ay, edge[1]) - 5,
                                                   max(ax, edge[0]) + 5, max(ay, edge[1]) + 5))
                              if not overlaps(mb, own))):
            continue
        return box, cx, cy, leader
    return None
