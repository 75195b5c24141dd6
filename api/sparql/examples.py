"""Ready-made researcher questions: shown on the query page and replayed by the benchmark.

They follow the instance shapes of ``ontology/README.md``. Each query carries only the PREFIX lines
it uses, so it runs unchanged on any SPARQL engine (the benchmark sends them to three servers).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.sparql.lexer import tokenize
from graph.namespaces import PREFIXES

ID = "https://w3id.org/asp-kg/id/"


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    body: str

    @property
    def query(self) -> str:
        used = sorted({t.text.split(":")[0] for t in tokenize(self.body) if t.kind == "PNAME"})
        prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used if p in PREFIXES)
        return prologue + "\n" + self.body.strip() + "\n"


EXAMPLES: tuple[Example, ...] = (
    Example(
        "parties-on-date",
        "Which states were parties to the Rome Statute on 1 June 2010?",
        """
SELECT ?state ?name ?since WHERE {
  ?m a asp:StatePartyMembership ; asp:partyState ?state ; asp:startDate ?since .
  OPTIONAL { ?m asp:endDate ?until }
  FILTER(?since <= "2010-06-01"^^xsd:date && (!BOUND(?until) || ?until > "2010-06-01"^^xsd:date))
  ?state rdfs:label ?name .
} ORDER BY ?since ?name""",
    ),
    Example(
        "parties-per-year",
        "How many states became parties each year?",
        """
SELECT ?year (COUNT(DISTINCT ?state) AS ?joined) WHERE {
  ?m a asp:StatePartyMembership ; asp:partyState ?state ; asp:startDate ?since .
  BIND(YEAR(?since) AS ?year)
} GROUP BY ?year ORDER BY ?year""",
    ),
    Example(
        "bureau-session",
        "Who sat on the Bureau during the 20th session, in which role?",
        f"""
SELECT ?holder ?name ?role ?start ?end WHERE {{
  <{ID}session/20> asp:startDate ?sessionStart .
  ?mandate a asp:Mandate ; org:organization <{ID}organ/bureau> ; org:member ?holder ;
           org:role ?r ; asp:startDate ?start .
  OPTIONAL {{ ?mandate asp:endDate ?end }}
  FILTER(?start <= ?sessionStart && (!BOUND(?end) || ?end >= ?sessionStart))
  ?holder rdfs:label ?name . ?r skos:prefLabel ?role .
}} ORDER BY ?role ?name""",
    ),
    Example(
        "judges-elected",
        "Every judge elected, with nationality and the number of rounds of the election",
        f"""
SELECT ?election ?date ?judge ?name ?nationality ?rounds WHERE {{
  ?election a asp:Election ; asp:electionKind <{ID}election-kind/judges> .
  OPTIONAL {{ ?election asp:date ?date }}
  OPTIONAL {{ ?election asp:roundCount ?rounds }}
  ?c asp:candidacyIn ?election ; asp:candidate ?judge ; asp:elected true .
  ?judge rdfs:label ?name .
  OPTIONAL {{ ?judge asp:nationality/rdfs:label ?nationality }}
}} ORDER BY ?election ?name""",
    ),
    Example(
        "resolutions-session",
        "Resolutions adopted at the 22nd session",
        f"""
SELECT ?symbol ?title ?method WHERE {{
  ?r a asp:Resolution ; asp:adoptedAt <{ID}session/22> ; asp:symbol ?symbol .
  OPTIONAL {{ ?r asp:title ?title }}
  OPTIONAL {{ ?r asp:adoptionMethod/skos:prefLabel ?method }}
}} ORDER BY ?symbol""",
    ),
    Example(
        "budget-growth",
        "Approved budget per year and its growth on the year before",
        f"""
SELECT ?year ?amount ?previous ((?amount - ?previous) * 100 / ?previous AS ?growthPercent) WHERE {{
  ?b asp:budgetKind <{ID}budget-kind/approved> ; asp:budgetYear ?y ; asp:amount ?amount .
  BIND(xsd:integer(STR(?y)) AS ?year)
  OPTIONAL {{
    ?p asp:budgetKind <{ID}budget-kind/approved> ; asp:budgetYear ?py ; asp:amount ?previous .
    FILTER(xsd:integer(STR(?py)) = ?year - 1)
  }}
}} ORDER BY ?year""",
    ),
    Example(
        "sources-disagree",
        "Which sources disagree on what? (one value per source graph)",
        """
SELECT ?entity ?property ?value1 ?source1 ?value2 ?source2 WHERE {
  GRAPH ?source1 { ?entity ?property ?value1 }
  GRAPH ?source2 { ?entity ?property ?value2 }
  FILTER(STR(?source1) < STR(?source2) && ?value1 != ?value2 && isLiteral(?value1) && isLiteral(?value2))
  FILTER(?property NOT IN (rdfs:label, prov:wasDerivedFrom, asp:note))
} ORDER BY ?entity ?property LIMIT 200""",
    ),
    Example(
        "sessions",
        "All sessions of the Assembly with their dates and venues",
        """
SELECT ?session ?label ?start ?end ?city WHERE {
  ?session a ?kind ; rdfs:label ?label .
  VALUES ?kind { asp:RegularSession asp:ResumedSession asp:SpecialSession asp:ReviewConference }
  OPTIONAL { ?session asp:startDate ?start }
  OPTIONAL { ?session asp:endDate ?end }
  OPTIONAL { ?session asp:venue/asp:city ?city }
} ORDER BY ?start""",
    ),
    Example(
        "election-rounds",
        "Round-by-round votes in the 2020 election of judges",
        f"""
SELECT ?round ?name ?votes ?cast WHERE {{
  ?r asp:roundOf <{ID}election/2020-judges> ; asp:roundNumber ?round .
  OPTIONAL {{ ?r asp:votesCast ?cast }}
  ?count asp:countIn ?r ; asp:countFor ?candidate ; asp:votesReceived ?votes .
  ?candidate rdfs:label ?name .
}} ORDER BY ?round DESC(?votes)""",
    ),
    Example(
        "regional-groups",
        "States parties per UN regional group",
        """
SELECT ?group (COUNT(DISTINCT ?state) AS ?parties) WHERE {
  ?m a asp:StatePartyMembership ; asp:partyState ?state .
  FILTER NOT EXISTS { ?m asp:endDate ?end }
  ?state asp:regionalGroup/skos:notation ?group .
} GROUP BY ?group ORDER BY DESC(?parties)""",
    ),
    Example(
        "amendments",
        "Amendments to the Rome Statute, with the resolution that adopted them",
        f"""
SELECT ?amendment ?subject ?resolution ?adopted ?inForce WHERE {{
  ?amendment a asp:Amendment ; asp:amends <{ID}legal-instrument/rome-statute> .
  OPTIONAL {{ ?amendment asp:subject ?subject }}
  OPTIONAL {{ ?amendment asp:adoptedBy/asp:symbol ?resolution }}
  OPTIONAL {{ ?amendment asp:adoptionDate ?adopted }}
  OPTIONAL {{ ?amendment asp:entryIntoForceDate ?inForce }}
}} ORDER BY ?adopted""",
    ),
    Example(
        "pledges-tfv",
        "Pledges to the Trust Fund for Victims, by donor",
        f"""
SELECT ?donor (SUM(?amount) AS ?total) (COUNT(?p) AS ?pledges) WHERE {{
  ?p a asp:Pledge ; asp:recipient <{ID}organ/tfv> ; asp:donor/rdfs:label ?donor ; asp:amount ?amount .
}} GROUP BY ?donor ORDER BY DESC(?total)""",
    ),
    Example(
        "prosecutors",
        "Prosecutors and deputy prosecutors with their terms",
        f"""
SELECT ?name ?role ?start ?end WHERE {{
  ?m a asp:Mandate ; org:role ?r ; org:member ?p ; asp:startDate ?start .
  VALUES ?r {{ <{ID}role/prosecutor> <{ID}role/deputy-prosecutor> }}
  OPTIONAL {{ ?m asp:endDate ?end }}
  ?p rdfs:label ?name . ?r skos:prefLabel ?role .
}} ORDER BY ?start""",
    ),
    Example(
        "statements",
        "Statements at the 20th session and on whose behalf they were made",
        f"""
SELECT ?statement ?speaker ?topic (GROUP_CONCAT(?behalf; separator=", ") AS ?onBehalfOf) WHERE {{
  ?statement a asp:Statement ; asp:session <{ID}session/20> .
  OPTIONAL {{ ?statement asp:speakerName ?speaker }}
  OPTIONAL {{ ?statement asp:topic ?topic }}
  OPTIONAL {{ ?statement asp:onBehalfOf/asp:isoAlpha3 ?behalf }}
}} GROUP BY ?statement ?speaker ?topic ORDER BY ?statement""",
    ),
    Example(
        "withdrawals",
        "States that notified a withdrawal, and when it took effect",
        """
SELECT ?state ?name ?notified ?effective WHERE {
  ?state asp:withdrawalNotificationDate ?notified ; rdfs:label ?name .
  OPTIONAL { ?state asp:withdrawalEffectiveDate ?effective }
} ORDER BY ?notified""",
    ),
    Example(
        "cbf-seats",
        "Seats of the Committee on Budget and Finance per regional group",
        f"""
SELECT ?group ?seats ?previous ?session WHERE {{
  ?a asp:allocationOf <{ID}organ/cbf> ; asp:allocatedTo/skos:notation ?group ; asp:seatCount ?seats .
  OPTIONAL {{ ?a asp:previousSeatCount ?previous }}
  OPTIONAL {{ ?a asp:decidedAt ?session }}
}} ORDER BY ?group""",
    ),
    Example(
        "ngo-participation",
        "Civil-society participation at each session",
        """
SELECT ?session ?kind ?count ?qualifier WHERE {
  ?p a asp:Participation ; asp:session ?session ; asp:participantKind/skos:prefLabel ?kind ;
     asp:participantCount ?count .
  OPTIONAL { ?p asp:countQualifier ?qualifier }
} ORDER BY ?session ?kind""",
    ),
    Example(
        "who-says-so",
        "Who says so? Every source stating something about the 2023 election of judges",
        f"""
SELECT ?source ?title (COUNT(*) AS ?statements) WHERE {{
  GRAPH ?source {{ <{ID}election/2023-judges> ?p ?o }}
  OPTIONAL {{ ?source asp:title ?title }}
}} GROUP BY ?source ?title ORDER BY DESC(?statements)""",
    ),
    Example(
        "ask-party",
        "Was Ukraine a state party on 1 January 2025? (ASK)",
        f"""
ASK {{
  ?m asp:partyState <{ID}state/UKR> ; asp:startDate ?since .
  FILTER(?since <= "2025-01-01"^^xsd:date)
}}""",
    ),
    Example(
        "describe-session",
        "Everything about the 22nd session (CONSTRUCT)",
        f"""
CONSTRUCT {{ <{ID}session/22> ?p ?o . ?o rdfs:label ?label }} WHERE {{
  <{ID}session/22> ?p ?o .
  OPTIONAL {{ ?o rdfs:label ?label }}
}}""",
    ),
)
