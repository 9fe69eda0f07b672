"""People: names with the title written before them and the role around them; quotes.

Without a named-entity model, a person is a run of capitalised words that is introduced like a
person: after an honorific or rank ("Capt", "Dr", "President"), after a role ("local police
spokesman Dolly Gumara"), before an appositive role ("Sulbha Arora, a gynaecologist"), next to a
speech verb ("..., Gumara said"), or as the object of a verb that takes people ("booked",
"against", "met with"). Runs holding place or organisation words are not people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from consistency.extract.context import DocContext
from consistency.models import Fact, NameValue, PersonFact, QuoteFact, QuoteValue, trusted
from consistency.text import STOPWORDS, Sentence

TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Capt", "Captain", "Cmdr", "Commander",
    "Wing Commander", "Gen", "General", "Col", "Colonel", "Lt", "Lieutenant", "Maj", "Major",
    "Sgt", "Sergeant", "Inspector", "Constable", "Officer", "Detective", "Judge", "Justice",
    "Senator", "Sen", "Rep", "Governor", "Gov", "Mayor", "President", "Vice President",
    "Prime Minister", "Chancellor", "Minister", "Chief Minister", "Deputy", "Sheriff", "Chief",
    "Pope", "King", "Queen", "Prince", "Princess", "Sir", "Dame", "Lord", "Lady", "Rev",
    "Father", "Sister", "Brother", "Imam", "Rabbi", "Collector", "Commissioner", "Superintendent",
    "Secretary", "Ambassador", "Speaker", "Chairman", "Director",
)
ROLE_NOUNS = frozenset(
    ["spokesman", "spokeswoman", "spokesperson", "chief", "head", "director", "minister", "president", "premier", "chancellor", "officer", "official", "inspector", "commissioner", "collector", "superintendent", "pilot", "co-pilot", "copilot", "captain", "engineer", "technician", "doctor", "surgeon", "gynaecologist", "gynecologist", "physician", "nurse", "dean", "mayor", "governor", "secretary", "pedestrian", "labourer", "laborer", "worker", "driver", "passenger", "owner", "producer", "reporter", "journalist", "correspondent", "editor", "manager", "ceo", "chairman", "founder", "member", "leader", "councillor", "lawyer", "attorney", "judge", "prosecutor", "teacher", "student", "professor", "survivor", "witness", "resident", "father", "mother", "son", "daughter", "husband", "wife", "brother", "sister", "friend", "commander", "general", "sergeant", "constable", "firefighter", "rescuer", "coordinator", "agent", "analyst", "expert", "chairperson", "principal", "priest", "victim", "bystander", "mechanic", "farmer", "fisherman", "owner", "operator", "master", "keeper", "warden", "ranger", "guard", "curator", "administrator", "businessman", "businesswoman", "entrepreneur", "industrialist", "activist", "politician", "lawmaker", "legislator", "employee", "staffer", "clerk", "cashier", "paramedic", "medic", "pupil", "shopkeeper", "trader", "vendor", "contractor", "architect", "builder", "mason", "carpenter", "electrician", "plumber", "miner", "sailor", "soldier", "photographer", "cameraman", "author", "writer", "singer", "actor", "coach", "player", "athlete", "footballer", "cricketer", "goalkeeper", "referee", "fan", "supporter", "neighbour", "neighbor", "villager", "relative", "cousin", "uncle", "aunt", "grandfather", "grandmother", "nephew", "niece", "imam", "pastor", "monk", "nun", "bishop", "cleric", "magistrate", "accused", "suspect", "defendant", "patient", "conductor", "volunteer", "diver", "headmaster", "headmistress", "registrar", "vicar"]
)
# Words that make a capitalised run a place or an organisation, not a person.
_NOT_PERSON = frozenset(
    ["mills", "mill", "compound", "airport", "hospital", "hospitals", "police", "department", "road", "marg", "street", "building", "house", "express", "india", "aviation", "ltd", "pvt", "limited", "university", "ministry", "party", "province", "district", "river", "island", "village", "corporation", "agency", "news", "times", "tv", "channel", "council", "court", "station", "bank", "club", "company", "group", "hotel", "restaurant", "pub", "bar", "city", "town", "county", "state", "states", "republic", "union", "kingdom", "nations", "army", "navy", "force", "forces", "airlines", "airline", "airways", "bureau", "authority", "government", "parliament", "assembly", "cabinet", "commission", "committee", "institute", "school", "college", "church", "mosque", "temple", "centre", "center", "square", "park", "bridge", "port", "harbour", "harbor", "lake", "sea", "ocean", "mountain", "valley", "peninsula", "coalition", "organisation", "organization", "network", "service", "services", "office", "prison", "international", "national", "federal", "central", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "new", "islamic", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "the", "defence", "defense", "facebook", "twitter", "instagram", "reuters", "afp", "ap", "pti", "ani", "efe"]
)
_TITLE_WORDS = frozenset(w for t in TITLES for w in t.split())
_TITLE_RE = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?|[A-Z]\.?)"
_PARTICLE = r"(?:von der|von|van der|van|de la|de|del|da|al-|bin|ibn|le|la)"
_NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s*)?{_NAME_TOKEN}){{0,3}}"
_PERSON_RE = re.compile(
    rf"(?:(?P<title>\b(?:{_TITLE_RE})\.?)\s+)?(?P<name>(?<![\w-]){_NAME})(?![\w-])"
)
_ROLE_BEFORE = re.compile(
    r"(?P<role>(?:\b[A-Za-z][a-z-]*\s+){0,3}\b(?P<head>[a-z-]+)),?\s*$"
)
_CAP_ROLE_NOUNS = (
    "Minister|Collector|Commissioner|Secretary|Chief|Officer|Superintendent|Magistrate|"
    "Inspector|Director|Spokesman|Spokeswoman|Spokesperson|Commander|Chairman|Chairperson|"
    "Governor|Mayor|Administrator|Head|Registrar|Coordinator|Controller|Marshal|Warden"
)
_CAP_ROLE_BEFORE = re.compile(
    r"(?P<role>\bhead of [A-Z][\w ]{2,60}?"
    rf"|\b(?:[A-Z][a-z]+\s+){{0,3}}(?:{_CAP_ROLE_NOUNS})"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2})?)\s*$"
)
_APPOSITIVE = re.compile(
    r",\s+(?:(?:a|an|the)\s+)?(?P<role>(?:[\w-]+\s+){0,4}?(?P<head>[A-Za-z-]+))(?=\s+(?:of|at|for|in|who|with)\b|\s*[,.;)(]|\s+said)"
)
_SPEECH = re.compile(r"\b(?:said|says|told|added|stated|tweeted|explained|noted|confirmed)\b")
_PERSON_VERBS = frozenset(
    ["against", "booked", "arrested", "charged", "met", "named", "identified", "accused", "by", "with", "as", "and"]
)
_QUOTE_RE = re.compile(r"[“\"]([^”\"]{12,400})[”\"]")
_FEMALE = re.compile(r"\b(?:Mrs|Ms|Miss|Madam|Dame|Lady|Queen|Princess|Sister)\b")
_MALE = re.compile(r"\b(?:Mr|Sir|Lord|King|Prince|Father|Brother)\b")


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # of the whole mention (title or role included)
    end: int
    name_start: int
    name: str
    title: str | None
    role: str | None
    evidence: bool


def extract_people(ctx: DocContext) -> list[Fact]:
    """People and quotes, sentence by sentence. "he said" / "she added" is resolved to the last
    named speaker of the previous two sentences: it gives a quote its speaker and records the
    pronoun as a mention of that person (with its gender, for the gender rule)."""
    facts: list[Fact] = []
    text = ctx.text
    last_speaker: tuple[int, PersonFact] | None = None
    for n, sentence in enumerate(ctx.sentences):
        ctx.check_deadline()
        for cand in _candidates(text, sentence):
            fact = _person_fact(ctx, sentence, cand)
            facts.append(fact)
            around = text[max(sentence.start, cand.start - 30) : min(sentence.end, cand.end + 30)]
            if _SPEECH.search(around) and fact.value.surname:
                last_speaker = (n, fact)
        antecedent = last_speaker[1] if last_speaker and n - last_speaker[0] <= 2 else None
        if antecedent is not None:
            facts.extend(_pronoun_mentions(ctx, sentence, antecedent))
        # a quote opens with one of these: most sentences have neither
        if text.find('"', sentence.start, sentence.end) >= 0 or text.find(
                "“", sentence.start, sentence.end) >= 0:
            facts.extend(_quotes(ctx, sentence, antecedent))
    return facts


_SPEECH_VERBS = r"(?:said|added|told|says|stated|explained|noted)\b"
_PRONOUN_SPEECH = re.compile(rf"\b(?P<pronoun>[Hh]e|[Ss]he)\s+{_SPEECH_VERBS}")
# The part of _PRONOUN_SPEECH from the pronoun's last letter on: a pattern that starts with a
# literal is searched for in C, where _PRONOUN_SPEECH is tried at every character (most sentences
# an antecedent reaches say nothing of the kind).
_PRONOUN_SPEECH_TAIL = re.compile(rf"e\s+{_SPEECH_VERBS}")


def _pronoun_mentions(ctx: DocContext, sentence: Sentence, antecedent: PersonFact) -> list[Fact]:
    out: list[Fact] = []
    if _PRONOUN_SPEECH_TAIL.search(ctx.text, sentence.start, sentence.end) is None:
        return out
    for m in _PRONOUN_SPEECH.finditer(ctx.text, sentence.start, sentence.end):
        gender = "female" if m.group("pronoun").lower() == "she" else "male"
        span = ctx.span(m.start(), m.end())
        value = antecedent.value.model_copy(update={"gender": gender, "role": None, "title": None})
        out.append(antecedent.model_copy(update={
            "text": span.text, "start": span.start, "end": span.end, "value": value,
            "sentence": ctx.sentence_span(sentence), "subject": "pronoun " + span.text,
        }))
    return out


# Every mention starts with a capital (a title or a name): trying the pattern only there finds
# what ``_PERSON_RE.search`` finds, without trying its title alternation at every character of
# the sentence. A candidate is more: a title and a name, or a name of two tokens or more, so it
# starts with two capitalised words in a row (a particle may sit between them; each name token
# and each title word matches the first part: "O'Neil", "Jean-Luc", "A.", "Dr."). The walk goes
# from one such pair to the next. The capitals it passes over are single words and failed
# matches: neither makes a candidate, and neither ends past the next pair (a word that did
# would start a pair itself), so the walk goes on from the pair as it would have from them.
# Three sentences in four have no pair at all. No ``\b`` here: a plain class lets the engine
# skip to the next capital in C, and at a capital inside a word the pattern fails at once
# (``\b``, ``(?<![\w-])``). tests/test_people_speed.py compares with the walk over capitals.
_MENTION_START = re.compile(rf"[A-Z][\w’'.-]*\s+(?:{_PARTICLE}\s*)?[A-Z]")


def _candidates(text: str, sentence: Sentence) -> list[_Candidate]:
    out: list[_Candidate] = []
    pos, end = sentence.start, sentence.end
    find_start, match_person = _MENTION_START.search, _PERSON_RE.match
    while (found := find_start(text, pos, end)) is not None:
        cap = found.start()
        m = match_person(text, cap, end)
        if m is None:
            pos = cap + 1
            continue
        title, name = m.group("title", "name")
        tokens = name.split()
        if title is None and len(tokens) == 1:
            # one word, no title: never a person, and a bad token would retry at m.end() too
            pos = m.end()
            continue
        cut = _first_bad_token(tokens)
        if cut is not None:
            # retry just after the offending token: "Ghana’s Kwame Mensah" -> "Kwame Mensah"
            pos = m.start("name") + name.index(tokens[cut]) + len(tokens[cut])
            continue
        pos = m.end()
        if any(t.lower().strip(".") in _NOT_PERSON for t in tokens):
            continue
        full_tokens = [t for t in tokens if len(t.strip(".")) > 1]
        if not full_tokens or (len(tokens) < 2 and title is None):
            continue
        cand = _describe(text, sentence, m.start(), m.end(), m.start("name"), name, title)
        if cand is not None:
            out.append(cand)
    return out


def _first_bad_token(tokens: list[str]) -> int | None:
    """Index of a token that cannot be inside a name: a possessive or a title word."""
    for i, t in enumerate(tokens):
        if t.endswith(("’s", "'s")) or t.rstrip(".") in _TITLE_WORDS:
            return i
        if t.lower() in _NOT_PERSON and i < len(tokens) - 1:
            return i  # "Pagaralam Police Department Dolly Gumara" -> "Dolly Gumara"
    return None


def _describe(text: str, sentence: Sentence, start: int, end: int, name_start: int, name: str,
              title: str | None) -> _Candidate | None:
    before = text[max(sentence.start, start - 80) : start]
    at_sentence_start = not before.strip()
    role, role_start = _role_before(before, start)
    if title is not None:
        # "Maharashtra Chief Minister X", "Chief District Officer X": a capitalised post that
        # ends in a title word is a role, not a title
        wide = text[max(sentence.start, name_start - 100) : name_start]
        post, post_start = _role_before(wide, name_start)
        if post is not None and post_start is not None and post_start < start:
            role, role_start, title = post, post_start, None
    appositive = _APPOSITIVE.match(text, end, min(sentence.end + 1, end + 90))
    if (role is None and appositive and is_role_noun(appositive.group("head"))
            and _single_role(appositive.group("role"))):
        role = appositive.group("role").strip()
        end = appositive.end("role")  # the evidence quotes the role too: "X, the harbour master"
    around = text[max(sentence.start, start - 25) : min(sentence.end, end + 25)]
    prev_word = before.split()[-1].lower() if before.split() else ""
    evidence = bool(title or role or _SPEECH.search(around) or prev_word in _PERSON_VERBS)
    if not evidence and (at_sentence_start or prev_word in ("the", "in", "at", "from", "to", "of")):
        return None
    if not evidence:
        return None
    mention_start = role_start if role_start is not None else start
    return _Candidate(mention_start, end, name_start, name, title.rstrip(".") if title else None,
                      role, evidence)


def _single_role(role: str) -> bool:
    """An appositive role of one person: not a list ("witnesses and officials"), not plural."""
    words = role.lower().split()
    head = words[-1]
    plural = head.endswith("s") and not head.endswith("ss") and head[:-1] in ROLE_NOUNS
    return not ({"and", "or"} & set(words)) and not plural


def is_role_noun(word: str) -> bool:
    w = word.lower()
    return w in ROLE_NOUNS or (w.endswith("s") and w[:-1] in ROLE_NOUNS)


_ROLE_BREAK = frozenset(["include", "includes", "including", "dead", "injured", "died", "killed", "named", "identified", "as", "was", "were", "is", "are", "has", "have", "had"])


def _role_word(word: str, first: bool) -> bool:
    """May ``word`` belong to a role written before a name? Lower-case modifiers do
    ("local police spokesman"); so does a capitalised first word of the sentence ("Local ...")."""
    if word[0].isupper() and not first:
        return False
    lower = word.lower()
    return (lower not in STOPWORDS and lower not in _ROLE_BREAK
            and not word.endswith(("ed", "’s", "'s")))


_CAP_ROLE_ENDS = tuple(_CAP_ROLE_NOUNS.split("|"))
_LOWER_TAIL = re.compile(r"[a-z-]+\Z")


def _role_before(before: str, start: int) -> tuple[str | None, int | None]:
    # Both patterns end at the end of ``before`` and are slow to search for there: cheap
    # necessary conditions on its last word rule most calls out before either is tried.
    rstripped = before.rstrip()
    # a capitalised post ends in its noun, or in "of ..." ("head of", "Minister of State")
    if rstripped.endswith(_CAP_ROLE_ENDS) or "of" in before:
        cap = _CAP_ROLE_BEFORE.search(before)
        if cap:
            return cap.group("role").strip(), start - len(before) + cap.start("role")
    if not _may_end_in_role_noun(rstripped):
        return None, None
    m = _ROLE_BEFORE.search(before)
    if m and is_role_noun(m.group("head")):
        words = m.group("role").split()
        # keep the role's own modifiers ("local police spokesman"), not the words before them
        # ("he met with president" -> "president")
        keep = len(words) - 1
        at_start = not before[: m.start("role")].strip()
        while keep > 0 and _role_word(words[keep - 1], first=at_start and keep == 1):
            keep -= 1
        words = words[keep:]
        role = " ".join(words)
        return role, start - len(before) + m.start("role") + (len(m.group("role")) - len(role))
    return None, None


def _may_end_in_role_noun(rstripped: str) -> bool:
    """Can ``_ROLE_BEFORE`` match with a role noun as its head? (``rstripped`` is the text
    before the name, right-stripped.) The head is the run of [a-z-] just before ``,?\\s*$``;
    without a hyphen it is that whole run. False is final; True needs the pattern."""
    if rstripped.endswith(","):
        rstripped = rstripped[:-1]
    tail = rstripped[rstripped.rfind(" ") + 1 :]
    if not (tail.isascii() and tail.isalpha() and tail.islower()):
        found = _LOWER_TAIL.search(tail)
        if found is None:
            return False
        tail = found.group()
        if "-" in tail:
            return True  # the head may start after a hyphen: let the pattern decide
    return is_role_noun(tail)


def _person_fact(ctx: DocContext, sentence: Sentence, cand: _Candidate) -> PersonFact:
    tokens = cand.name.split()
    full = [t for t in tokens if len(t.strip(".")) > 1]
    given = full[0] if len(full) > 1 or cand.title is None else None
    surname = full[-1] if len(full) > 1 or cand.title in ("Mr", "Mrs", "Ms", "Miss", "Dr") else None
    if len(full) == 1 and cand.title and cand.title not in ("Mr", "Mrs", "Ms", "Miss", "Dr"):
        given = full[0]
    context = ctx.text[max(sentence.start, cand.start - 10) : cand.end]
    gender: Literal["male", "female"] | None = "female" if _FEMALE.search(context) else "male" if _MALE.search(context) else None
    value = NameValue(name=cand.name, given=given, surname=surname, title=cand.title,
                      role=cand.role, gender=gender)
    return trusted(PersonFact, 
        **ctx.evidence(cand.start, cand.end),
        subject=f"person {cand.name}", terms=tuple(t.lower() for t in full),
        sentence=ctx.sentence_span(sentence), value=value,
    )


def _quotes(ctx: DocContext, sentence: Sentence, antecedent: PersonFact | None) -> list[Fact]:
    out: list[Fact] = []
    for m in _QUOTE_RE.finditer(ctx.text, sentence.start, sentence.end):
        words = m.group(1).split()
        if len(words) < 4:
            continue
        speaker = _speaker(ctx.text, sentence, m.start(), m.end())
        if speaker is None and antecedent is not None and _PRONOUN_SPEECH.search(
                ctx.text, m.end(), min(sentence.end, m.end() + 30)):
            speaker = antecedent.value.surname
        out.append(trusted(
            QuoteFact, **ctx.evidence(m.start(1), m.end(1)),
            subject=f"quote by {speaker or 'unknown'}", terms=(speaker.lower(),) if speaker else (),
            sentence=ctx.sentence_span(sentence),
            value=QuoteValue(quote=m.group(1), speaker=speaker),
        ))
    return out


_SPEAKER_AFTER = re.compile(
    r"[,.]?[”\"]?,?\s*(?:(?:he|she)\s+said|(?P<n1>(?:[A-Z][\w’'-]+\s*){1,3})\s+(?:said|told|added|stated))"
)
_SPEAKER_BEFORE = re.compile(r"(?P<n2>(?:[A-Z][\w’'-]+\s*){1,3})\s+(?:said|says|told|added|stated|underlined|insisted)\b[^“\"]{0,60}$")


def _speaker(text: str, sentence: Sentence, start: int, end: int) -> str | None:
    after = _SPEAKER_AFTER.match(text, end, min(len(text), end + 60))
    if after and after.group("n1"):
        return after.group("n1").split()[-1]
    before = _SPEAKER_BEFORE.search(text[max(sentence.start, start - 120) : start])
    if before:
        return before.group("n2").split()[-1]
    return None
