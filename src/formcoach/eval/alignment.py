"""Rep by rep: a counter's reps against labelled rep boundaries.

A count can be right while its reps are wrong (a rep missed in one place, a fidget counted in
another), and a wrong count does not say where it went wrong. :func:`align` matches the reps a
counter emitted with the labelled ones (RepCount's ``boundaries``: a start and an end frame
per rep) one to one, by the frames they share, and names what happened to each:

- a labelled rep is ``matched``; ``shifted`` when the emitted rep matched to it has its far
  frame outside it (the counter took the movement from its other end: its rest is the
  labelled mid-rep pose); ``merged`` when unmatched but more than half of it lies in a rep
  matched to another; else ``missed``;
- an emitted rep is ``inside`` (matched); ``doubled`` when unmatched but at least half of it
  lies in one labelled rep (matched to another emitted one); else ``outside`` (a lead-in,
  setting up, a rest between sets).

``benchmarks/rep_alignment.py`` runs it over the clips with the counter's state at each miss.
"""

from __future__ import annotations

from dataclasses import dataclass

from formcoach.core.rep import Rep

__all__ = ["MATCH_SHARE", "Alignment", "align"]

#: An emitted rep matches a labelled one when at least this share of its frames lie in it.
MATCH_SHARE = 0.3


@dataclass(frozen=True)
class Alignment:
    """The emitted reps of one clip against its labelled ones.

    Attributes:
        labelled: (start, end, status) per labelled rep; status ``matched``, ``shifted``
            (matched by a rep whose far frame lies outside it: counted from the other end of
            the movement), ``merged`` (unmatched, but more than half of it lies in a rep
            matched to another) or ``missed``.
        emitted: (start, far, end, status, labelled index or -1) per emitted rep; status
            ``inside`` (matched), ``doubled`` (unmatched, mostly inside a labelled rep matched
            to another emitted one) or ``outside`` (unmatched, mostly outside every labelled
            rep: a lead-in, a rest between sets, the end).
    """

    labelled: tuple[tuple[int, int, str], ...]
    emitted: tuple[tuple[int, int, int, str, int], ...]

    def tally(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for *_, s in self.labelled:
            out[s] = out.get(s, 0) + 1
        for _, _, _, s, _ in self.emitted:
            out[s] = out.get(s, 0) + 1
        return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0) + 1)


def align(bounds: list[int], reps: list[Rep]) -> Alignment:
    """Match emitted ``reps`` one to one with labelled ``bounds`` ([s1, e1, s2, e2, ...]
    frames): greedily, the pairs sharing most frames first, each pair sharing at least
    ``MATCH_SHARE`` of the emitted rep's frames."""
    lab = [(int(bounds[i]), int(bounds[i + 1])) for i in range(0, len(bounds) - 1, 2)]
    lab = [(s, e) for s, e in lab if e > s]  # labels past the clip's end are degenerate
    pairs = []
    for k, r in enumerate(reps):
        n = r.end_frame - r.start_frame + 1
        for i, (s, e) in enumerate(lab):
            o = _overlap(s, e, r.start_frame, r.end_frame)
            if o >= MATCH_SHARE * n:
                pairs.append((o, i, k))
    of_lab: dict[int, int] = {}
    of_rep: dict[int, int] = {}
    for _, i, k in sorted(pairs, reverse=True):
        if i not in of_lab and k not in of_rep:
            of_lab[i], of_rep[k] = k, i
    emitted = []
    for k, r in enumerate(reps):
        far = int(r.features.get("far_frame", (r.start_frame + r.end_frame) // 2))
        n = r.end_frame - r.start_frame + 1
        if k in of_rep:
            emitted.append((r.start_frame, far, r.end_frame, "inside", of_rep[k]))
            continue
        best = max(
            range(len(lab)),
            key=lambda i: _overlap(*lab[i], r.start_frame, r.end_frame),
            default=-1,
        )
        o = _overlap(*lab[best], r.start_frame, r.end_frame) if best >= 0 else 0
        status = "doubled" if o >= 0.5 * n else "outside"
        emitted.append((r.start_frame, far, r.end_frame, status, best if o else -1))
    labelled = []
    for i, (s, e) in enumerate(lab):
        if i in of_lab:
            far = emitted[of_lab[i]][1]
            labelled.append((s, e, "matched" if s <= far <= e else "shifted"))
            continue
        cover = max(
            (_overlap(s, e, r.start_frame, r.end_frame) for k, r in enumerate(reps) if k in of_rep),
            default=0,
        )
        labelled.append((s, e, "merged" if cover > 0.5 * (e - s + 1) else "missed"))
    return Alignment(tuple(labelled), tuple(emitted))
