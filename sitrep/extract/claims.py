"""Attribution: which source claims what, with which stance, in which span.

A sentence with a reported-speech cue ("said", "according to", ...) and a source is a claim.  The source is a
registry Source mention, or an actor mention speaking for itself ("rebels reported", "the Nusra Front posted"),
or "unnamed".  Nested attribution ("a news bulletin quoted a military source") keeps the outer source in
``via``.  The cue lists and stance words are data (sitrep/data/attribution.yaml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitrep.data import load_yaml
from sitrep.model import AnalyzedDoc, Claim, Mention, Sentence

_MEDIA_ANAPHOR = re.compile(r"\b(news bulletin|bulletin|the (?:government|state) (?:news|media)(?: report)?|"
                            r"the report|the outlet|the agency|state television|state tv)\b", re.I)


@dataclass
class SentenceClaim:
    sentence: int
    claim: Claim
    partisan: bool = False
    speaker: Mention | None = None
    extra: dict = field(default_factory=dict)


def _words_re(words: list[str]) -> re.Pattern:
    alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.I)


class Attributor:
    def __init__(self):
        data = load_yaml("attribution.yaml")
        self.after_re = _words_re(data["cues"]["after_speaker"])
        self.before_re = _words_re(data["cues"]["before_speaker"])
        self.denies_re = _words_re(data["denies"])
        self.disputes_re = _words_re(data["disputes"])
        self.partisan_kinds = set(data["partisan_kinds"])

    def _stance(self, text: str) -> str:
        if self.denies_re.search(text):
            return "denies"
        if self.disputes_re.search(text):
            return "disputes"
        return "asserts"

    def claims(self, doc: AnalyzedDoc) -> list[SentenceClaim]:
        out: list[SentenceClaim] = []
        last_media: Mention | None = None
        for sent in doc.sentences:
            if sent.repeated:
                continue
            found = self._sentence_claim(doc, sent, last_media)
            if found:
                out.append(found)
                sp = found.speaker
                if sp is not None and sp.kind == "source" and sp.attrs.get("kind") in (
                        "state media", "news agency", "monitor"):
                    last_media = sp
        return out

    def _sentence_claim(self, doc: AnalyzedDoc, sent: Sentence, last_media: Mention | None):
        speakers = [m for m in doc.mentions if m.sentence == sent.index and m.kind in ("source", "actor")]
        cue_m = None
        speaker = None
        # "according to X" / "citing X": the speaker follows the cue
        for m in self.before_re.finditer(sent.text):
            after = [s for s in speakers if s.start >= sent.start + m.end()]
            if after:
                cue_m, speaker = m, _prefer_source(after, first=True)
                break
        if speaker is None:
            for m in self.after_re.finditer(sent.text):
                before = [s for s in speakers if s.end <= sent.start + m.start()]
                if before:
                    cue_m, speaker = m, _prefer_source(before, first=False)
                    break
                if cue_m is None:
                    cue_m = m
        if cue_m is None:
            return None
        via = None
        if speaker is None or (speaker.kind == "source" and speaker.attrs.get("kind") in ("unnamed", "official")):
            # "A later news bulletin quoted a military source": the outlet named earlier speaks again
            if last_media is not None and _MEDIA_ANAPHOR.search(sent.text):
                via = last_media.attrs.get("name") or last_media.text
                if speaker is None:
                    speaker = last_media
        if speaker is None:
            return None
        # a source named with the speaker in the same sentence ("SANA quoted a military source")
        if speaker.kind == "source" and speaker.attrs.get("kind") in ("unnamed", "official") and via is None:
            outer = [s for s in speakers if s.kind == "source" and s is not speaker
                     and s.attrs.get("kind") not in ("unnamed", "official")]
            if outer:
                via = outer[0].attrs.get("name") or outer[0].text
        name, kind = _speaker_name_kind(speaker)
        if via is not None:
            # report the outer (named) source as the claimant; the inner one rides along in via/name
            inner = name
            name, kind = via, _kind_of_named(speakers, last_media, via)
            via = inner
        stance = self._stance(sent.text)
        claim = Claim(source=name, source_kind=kind, stance=stance, span=doc.article.span(sent.start, sent.end),
                      cue=cue_m.group(0).lower(), what=[], via=via)
        partisan = kind in self.partisan_kinds or (speaker.kind == "actor" and speaker.attrs.get("inter", 0) != 7)
        return SentenceClaim(sentence=sent.index, claim=claim, partisan=partisan, speaker=speaker)


def _prefer_source(cands: list[Mention], first: bool) -> Mention:
    srcs = [c for c in cands if c.kind == "source"]
    pool = srcs or cands
    return pool[0] if first else pool[-1]


def _speaker_name_kind(m: Mention) -> tuple[str, str]:
    if m.kind == "source":
        return m.attrs.get("name") or m.text, m.attrs.get("kind") or "unnamed"
    # an armed group or other actor speaking for itself
    inter = m.attrs.get("inter", 0)
    name = m.attrs.get("name") if not m.attrs.get("generic") else m.text.strip().lower()
    if inter in (1,):
        return name or m.text, "official"
    if inter in (2, 3, 4, 8):
        return name or m.text, "armed group channel"
    return name or m.text, "witness"


def _kind_of_named(speakers: list[Mention], last_media: Mention | None, name: str) -> str:
    for s in speakers + ([last_media] if last_media else []):
        if s is not None and s.kind == "source" and (s.attrs.get("name") or s.text) == name:
            return s.attrs.get("kind") or "unnamed"
    return "unnamed"
