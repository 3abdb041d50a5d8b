"""Who says what: each verb of speech and quotation attributed to a person."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from articles.ingest.sentences import OPENING_MARKS
from articles.ingest.spans import ByPosition

from .document import Document, Sentence
from .mentions import Mention, person_key
from .types import QuoteFound
from .verbs import THAT, Verb, skip_spaces

_TO_INFINITIVE = re.compile(r"\bà\s+(?=[a-zàâéèêîôûç])")


@dataclass
class _Speaker:
    name: str
    slug: str | None
    evidence: str
    direct: bool = False
    first_at: int = 0


@dataclass
class Speech:
    quotes: list[QuoteFound] = field(default_factory=list)
    speakers: dict[str, _Speaker] = field(default_factory=dict)  # key: slug or folded name


class _Verbs:
    """The verbs of speech of a document, in order, and those of each sentence."""

    def __init__(self, verbs: list[Verb]) -> None:
        self.all = verbs
        self._by_sentence: dict[int, list[Verb]] = {}
        for verb in verbs:
            self._by_sentence.setdefault(verb.sentence.index, []).append(verb)

    def __iter__(self) -> Iterator[Verb]:
        return iter(self.all)

    def of(self, sentence: Sentence) -> list[Verb]:
        return self._by_sentence.get(sentence.index, [])


def attribute_speech(document: Document, resolved: list[Mention | None]) -> Speech:
    """Who says what: ``resolved`` are the mentions as the people they stand for."""
    # In text order (as the mentions are): a speaker is looked for near each verb.
    candidates = ByPosition(
        [m for m in resolved if m is not None and not m.credit and not document.in_quote(m.start)],
        operator.attrgetter("start"),
    )
    verbs = _Verbs(document.verbs())
    _find_speakers(document, verbs, candidates)
    speech = Speech()
    # Direct quotes first: a verb that attributes a quote is not also indirect speech.
    for number, (quote_start, quote_end) in enumerate(document.quotes):
        # The quotes are sorted and disjoint: the next one starts the first after this one.
        next_start = document.quotes[number + 1][0] if number + 1 < len(document.quotes) else None
        _attribute_quote(speech, document, verbs, (quote_start, quote_end), next_start)
    _record_statements_after_colons(speech, document, verbs)
    quote_ends = ByPosition(document.quotes, operator.itemgetter(1))
    _record_reported_speech(speech, document, verbs, quote_ends)
    speech.quotes.sort(key=lambda quote: quote.start)
    return speech


def _find_speakers(document: Document, verbs: _Verbs, candidates: ByPosition[Mention]) -> None:
    """Each verb's speaker; a pronoun stands for the last speaker, or a later subject nearby."""
    last_speaker: Mention | None = None
    last_speaker_at = -1

    def antecedent(offset: int) -> Mention | None:
        subject = _last_subject(candidates, offset, document)
        if subject is not None and (last_speaker is None or subject.start > last_speaker_at):
            return subject
        return last_speaker

    for verb in verbs:
        if verb.pronoun:
            verb.speaker = antecedent(verb.start)
        else:
            _find_named_speaker(verb, verbs, candidates, document.text)
        if verb.speaker is not None and verb.speaker.kind == "pronoun":
            verb.speaker = antecedent(verb.speaker.start)
        if verb.speaker is not None:
            last_speaker, last_speaker_at = verb.speaker, verb.start


def _find_named_speaker(
    verb: Verb, verbs: _Verbs, candidates: ByPosition[Mention], text: str
) -> None:
    """The speaker of a verb without a pronoun of its own, by where its subject stands."""
    sentence = verb.sentence
    if verb.kind == "selon":
        verb.speaker = _first_after(candidates, verb.end, sentence, max_gap=12)
        if verb.speaker is None or verb.speaker.kind == "pronoun":
            verb.speaker, verb.nobody = None, True
    elif verb.inverted:
        verb.speaker = _first_after(candidates, verb.end, sentence, max_gap=70)
        if verb.speaker is None or THAT.search(text[verb.end : verb.speaker.start]):
            # "X, qui a participé à la réunion, a souligné": a comma, but no inversion.
            verb.inverted = False
            verb.speaker = _subject_before(candidates, verb, text)
    elif verb.kind == "participle":
        previous_in_sentence = [
            other for other in verbs.of(sentence) if other.start < verb.start and other.speaker
        ]
        verb.speaker = previous_in_sentence[-1].speaker if previous_in_sentence else None
    else:
        verb.speaker = _subject_before(candidates, verb, text)


def _attribute_quote(
    speech: Speech,
    document: Document,
    verbs: _Verbs,
    quote: tuple[int, int],
    next_start: int | None,
) -> None:
    """Record a direct quote: the attribution after the quote wins, then the verb before it in
    the sentence, then a speaker introducing it from the sentence before."""
    text = document.text
    quote_start, quote_end = quote
    inner = text[quote_start + 1 : quote_end - 1].strip().rstrip(",;:").rstrip()
    if len(re.findall(r"\w+", inner)) < 3:
        return
    sentence = document.sentence_at(quote_start)
    if sentence.is_credit:
        return
    next_quote = sentence.end if next_start is None else next_start
    chosen = _attributing_verb(verbs.of(sentence), quote_start, quote_end, next_quote)
    speaker = chosen.speaker if chosen else None
    introducing = None
    if chosen is None:
        introducing = _introduced_before(document, verbs, sentence, quote_start, quote_end)
        speaker = introducing.speaker if introducing else None
    if (chosen is not None and chosen.nobody) or speaker is None:
        return
    # The verb introducing or closing a quote is that quote's attribution, not a second,
    # indirect quote — unless it introduces a "que" clause the quote is part of.
    if chosen is not None and (
        chosen.start >= quote_end
        or (chosen.end <= quote_start and not THAT.search(text[chosen.end : quote_start]))
    ):
        chosen.used_by_quote = True
    if introducing is not None and text[
        introducing.end : introducing.sentence.end
    ].rstrip().endswith(":"):
        introducing.used_by_quote = True  # "a fait la déclaration suivante :" « … »
    _record(speech, document, speaker, inner, "direct", quote_start + 1, chosen or introducing)


def _attributing_verb(
    in_sentence: list[Verb], quote_start: int, quote_end: int, next_quote: int
) -> Verb | None:
    for verb in in_sentence:
        if verb.kind == "selon" or (
            quote_end <= verb.start < next_quote and (verb.inverted or verb.pronoun)
        ):
            return verb
    before = [verb for verb in in_sentence if verb.end <= quote_start]
    if before:
        return before[-1]
    after = [verb for verb in in_sentence if verb.start >= quote_end]
    return after[0] if after else None


def _record_statements_after_colons(speech: Speech, document: Document, verbs: _Verbs) -> None:
    for verb in verbs:
        if verb.speaker is None or verb.used_by_quote or verb.nobody:
            continue
        statement = _statement_after_colon(document, verb)
        if statement is not None:
            verb.used_by_quote = True
            start, end = statement
            text = document.text[start:end].strip()
            _record(speech, document, verb.speaker, text, "direct", start, verb)


def _record_reported_speech(
    speech: Speech, document: Document, verbs: _Verbs, quote_ends: ByPosition[tuple[int, int]]
) -> None:
    text = document.text
    for verb in verbs:
        if verb.speaker is None or verb.used_by_quote:
            continue
        if verb.kind == "participle" and not THAT.match(text, skip_spaces(text, verb.end)):
            continue
        clause = _reported_clause(document, verb, verbs, quote_ends)
        _record(speech, document, verb.speaker, clause, "indirect", verb.start, verb)


def _first_after(
    candidates: ByPosition[Mention], offset: int, sentence: Sentence, *, max_gap: int
) -> Mention | None:
    mention = candidates.first_from(offset)
    if mention is None or mention.start >= sentence.end:
        return None
    return mention if max(mention.span_start, offset) - offset <= max_gap else None


def _subject_before(candidates: ByPosition[Mention], verb: Verb, text: str) -> Mention | None:
    """The nearest person before the verb in its sentence that is not an object."""
    sentence = verb.sentence
    before = [
        mention
        for mention in candidates.within(sentence.start, verb.start + 1)
        if mention.end <= verb.start
        and not mention.object_context
        and not _between_quotes(text, mention.end, verb.start)
    ]
    if not before:
        return None
    nearest = before[-1]
    if verb.kind == "present" and text[nearest.end : verb.start].strip(" ,"):
        return None
    return nearest


def _between_quotes(text: str, start: int, end: int) -> bool:
    # A person named inside a clause that a quote closes off is not the subject after it.
    return bool(re.search(r"[«“]", text[start:end]))


def _last_subject(
    candidates: ByPosition[Mention], offset: int, document: Document
) -> Mention | None:
    """For "il a souligné" with no speaker yet: the last person named as a subject nearby."""
    sentence = document.sentence_at(offset)
    window_start = document.sentences[max(0, sentence.index - 2)].start
    for mention in reversed(candidates.within(window_start, offset + 1)):
        if mention.end > offset:
            continue
        if mention.kind in {"pronoun"} or mention.object_context:
            continue
        if mention.kind == "unknown" and not mention.honorific:
            continue
        before = document.text[max(window_start, mention.span_start - 5) : mention.span_start]
        if re.search(r"\bqu(?:e\s+|['’])$", before):
            continue  # the subject of a reported clause, not of the sentence
        return mention
    return None


def _introduced_before(
    document: Document,
    verbs: _Verbs,
    sentence: Sentence,
    quote_start: int,
    quote_end: int,
) -> Verb | None:
    """A quote standing alone as a sentence belongs to whoever spoke just before it (most
    clearly when that sentence ends on a colon: "X a fait la déclaration suivante :")."""
    text = document.text
    outside = text[sentence.start : quote_start] + text[quote_end : sentence.end]
    if len(outside.strip(" .,:;\n")) > 3 or sentence.index == 0:
        return None
    previous = document.sentences[sentence.index - 1]
    earlier = [verb for verb in verbs.of(previous) if verb.speaker]
    return earlier[-1] if earlier else None


_STATEMENT_INTRODUCTION_MAX = 40


def _statement_after_colon(document: Document, verb: Verb) -> tuple[int, int] | None:
    """ "Le ministre a déclaré :" closing a paragraph introduces the next paragraph, written
    without quotation marks, as his own words. Returns that paragraph's span."""
    text, sentence = document.text, verb.sentence
    rest = text[verb.end : sentence.end]
    if not rest.rstrip().endswith(":") or len(rest.strip()) > _STATEMENT_INTRODUCTION_MAX:
        return None
    if "\n" not in text[sentence.end : skip_spaces(text, sentence.end)]:
        return None  # the statement goes on in the same paragraph: an ordinary sentence
    start = skip_spaces(text, sentence.end)
    if start >= len(text) or text[start] in OPENING_MARKS or text[start] == '"':
        return None  # quoted: the quotation itself is the statement
    end = text.find("\n", start)
    return start, end if end >= 0 else len(text)


def _reported_clause(
    document: Document, verb: Verb, verbs: _Verbs, quote_ends: ByPosition[tuple[int, int]]
) -> str:
    text, sentence = document.text, verb.sentence
    if verb.inverted or verb.kind == "selon":
        start = sentence.start
        # The clause starts after the last quote closed before the verb in its sentence.
        for _quote_start, quote_end in quote_ends.within(sentence.start, verb.start + 1)[-1:]:
            start = quote_end
        clause = text[start : verb.start]
        if verb.kind == "selon":
            tail = text[verb.end : sentence.end]
            clause = clause.strip() or tail.split(",", 1)[-1]
    else:
        after = text[verb.end : sentence.end]
        that = THAT.search(after[:60])
        to = (
            _TO_INFINITIVE.search(after[:80])
            if re.search(r"appel", text[verb.start : verb.end], re.I)
            else None
        )
        if that:
            clause = after[that.start() :]
        elif to:
            clause = after[to.start() :]
        else:
            # Without "que", the object runs to the next verb of speech in the sentence.
            following = [
                other.start
                for other in verbs.of(sentence)
                if other.start > verb.end and not other.pronoun
            ]
            clause = after[: min(following, default=sentence.end) - verb.end]
            clause = re.sub(
                r"(?:\s+(?:et|puis|mais|and|then))?\s*(?:\b(?:qui|who)\s*)?$", "", clause
            )
    clause = re.sub(r"\s+", " ", clause).strip(" ,;:.-—–\n")
    return clause


def _record(
    speech: Speech,
    document: Document,
    speaker: Mention,
    text: str,
    kind: str,
    start: int,
    verb: Verb | None,
) -> None:
    if not text:
        return
    key = person_key(speaker)
    name = speaker.text if speaker.slug is None else ""
    existing = speech.speakers.get(key)
    at = min(start, verb.start) if verb else start
    if existing is None or at < existing.first_at:
        sentence = verb.sentence if verb else document.sentence_at(start)
        evidence = _evidence_snippet(document, verb, speaker, sentence)
        if existing is None:
            existing = _Speaker(name=name, slug=speaker.slug, evidence=evidence, first_at=at)
            speech.speakers[key] = existing
        existing.evidence, existing.first_at = evidence, at
    existing.direct = existing.direct or kind == "direct"
    if start < document.body_offset:
        return  # the title restates the body; its quotes are not quotes of the article
    speech.quotes.append(
        QuoteFound(
            speaker_name=name,
            speaker_slug=speaker.slug,
            text=text,
            kind=kind,
            start=start - document.body_offset,
        )
    )


def _evidence_snippet(
    document: Document, verb: Verb | None, speaker: Mention, sentence: Sentence
) -> str:
    text = document.text
    if verb is None:
        return f"« {shorten(text[sentence.start : sentence.end])} »"
    start = (
        min(verb.start, speaker.span_start) if speaker.span_start >= sentence.start else verb.start
    )
    end = max(verb.end, speaker.end) if speaker.end <= sentence.end else verb.end
    if verb.pronoun or speaker.start < sentence.start:
        start, end = verb.start, verb.end
    return f"« {shorten(text[start:end])} »"


def shorten(snippet: str, limit: int = 90) -> str:
    snippet = re.sub(r"\s+", " ", snippet).strip()
    return snippet if len(snippet) <= limit else snippet[: limit - 1].rstrip() + "…"
