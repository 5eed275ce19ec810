"""Realistic input for the synthesis: 14 organisations, 40 members, 120 NIS2 questions.

The organisations are the 13 centre cities and the VGC; the people are fictional. Questions are
written per topic, the way members of the NIS2 group phrase them; each topic's phrasings are
deliberate near-duplicates from different members, and `SEPARATE` names topics that share words
with another topic but are a different question (the grouping must keep them apart).
"""

from dataclasses import dataclass

# (organisation, members who sent a top-3): cities that send five people and cities that send two.
ORGANISATIONS: tuple[tuple[str, int], ...] = (
    ("Stad Antwerpen", 5),
    ("Stad Gent", 5),
    ("Stad Leuven", 4),
    ("Stad Brugge", 3),
    ("Stad Mechelen", 3),
    ("Stad Hasselt", 3),
    ("Stad Kortrijk", 3),
    ("Stad Genk", 2),
    ("Stad Aalst", 2),
    ("Stad Oostende", 2),
    ("Stad Roeselare", 2),
    ("Stad Sint-Niklaas", 2),
    ("Stad Turnhout", 2),
    ("Vlaamse Gemeenschapscommissie", 2),
)

# Topic -> phrasings by different members. Topics with one phrasing are questions nobody else asked.
TOPICS: dict[str, tuple[str, ...]] = {
    "entity": (
        "Wat valt onder 'essentiële entiteit'?",
        "Zijn wij een essentiële of belangrijke entiteit onder NIS2?",
        "Is onze stad een essentiële entiteit of een belangrijke entiteit?",
        "Hoe bepalen we of we een essentiële of een belangrijke entiteit zijn?",
        "Essentiële entiteit of belangrijke entiteit: in welke categorie vallen centrumsteden?",
        "Vallen wij als stad onder de essentiële entiteiten?",
        "Wanneer is een lokaal bestuur een essentiële entiteit?",
        "Welke criteria maken van een stad een essentiële entiteit?",
        "Welke gevolgen heeft het als onze stad een essentiële entiteit is?",
    ),
    "incident_reporting": (
        "Binnen welke termijn moeten we een significant incident melden aan het CCB?",
        "Hoe verloopt de melding van een significant incident (24 uur, 72 uur)?",
        "Wat moet er in de vroegtijdige waarschuwing binnen 24 uur bij een incident?",
        "Wie meldt een significant incident bij het CCB en binnen welke termijn?",
        "Wanneer is een incident significant en moeten we het melden?",
        "Welke incidenten moeten we melden aan het CCB?",
        "Hoe organiseren we de meldplicht voor incidenten buiten de kantooruren?",
        "Moeten we ook een incident bij een leverancier melden aan het CCB?",
        "Hoe snel moeten we een ernstig incident melden bij het CCB?",
    ),
    "registration": (
        "Hoe registreren we ons als entiteit op Safeonweb@work?",
        "Tegen wanneer moeten we ons registreren op het Safeonweb@work-platform?",
        "Welke gegevens vraagt de registratie bij Safeonweb@work?",
        "Wie registreert de stad op Safeonweb@work: de stad of het OCMW?",
        "Registratie op Safeonweb@work: moet elke dienst apart geregistreerd worden?",
        "Is de registratie op Safeonweb@work al gebeurd bij de andere steden?",
    ),
    "management_liability": (
        "Wat is de aansprakelijkheid van de bestuursorganen onder NIS2?",
        "Zijn de burgemeester en het college persoonlijk aansprakelijk bij een inbreuk op NIS2?",
        "Welke opleiding moeten de leden van het bestuursorgaan volgen?",
        "Hoe betrekken we het college en de algemeen directeur bij de NIS2-verplichtingen?",
        "Welke verantwoordelijkheid draagt het bestuursorgaan voor de"
        " cyberbeveiligingsmaatregelen?",
        "Moet de gemeenteraad de maatregelen goedkeuren of volstaat het bestuursorgaan?",
    ),
    "supply_chain": (
        "Hoe nemen we NIS2-clausules op in de contracten met onze ICT-leveranciers?",
        "Welke eisen mogen we stellen aan leveranciers in de toeleveringsketen?",
        "Moeten onze leveranciers zelf NIS2-conform zijn?",
        "Hoe beoordelen we de beveiliging van de toeleveringsketen en de leveranciers?",
        "Bestaat er een modelclausule voor leveranciers in overheidsopdrachten?",
        "Hoe pakken andere steden de beveiliging van de toeleveringsketen aan?",
        "Welke vragenlijst gebruiken jullie voor de beoordeling van leveranciers?",
        "Hoe controleren we of een leverancier de afgesproken beveiligingsmaatregelen naleeft?",
    ),
    "risk_analysis": (
        "Welke methode gebruiken jullie voor de risicoanalyse?",
        "Hoe voeren we een risicoanalyse uit op onze informatiesystemen?",
        "Is er een sjabloon voor de risicoanalyse die NIS2 vraagt?",
        "Hoe vaak moeten we de risicoanalyse herhalen?",
        "Moet de risicoanalyse alle diensten van de stad omvatten?",
        "Welke tool gebruiken jullie om de risicoanalyse bij te houden?",
        "Wie in de organisatie is eigenaar van de risicoanalyse?",
    ),
    "cyfun": (
        "Welk CyberFundamentals-niveau moeten we halen: Basic, Important of Essential?",
        "Is CyberFundamentals (CyFun) verplicht of mogen we ISO 27001 gebruiken?",
        "Hoe lang duurt een CyberFundamentals-verificatie door een"
        " conformiteitsbeoordelingsinstantie?",
        "Wie heeft al een CyFun-zelfevaluatie gedaan en wat waren de resultaten?",
        "Welk CyFun-niveau is nodig voor een essentiële entiteit?",
        "Kunnen we de CyberFundamentals-verificatie samen met andere steden aanbesteden?",
    ),
    "budget": (
        "Welk budget voorzien jullie voor NIS2 in het meerjarenplan?",
        "Zijn er subsidies of middelen van de Vlaamse overheid voor NIS2?",
        "Hoeveel kost het om NIS2-conform te worden?",
        "Hoe verantwoorden we het NIS2-budget tegenover het college?",
        "Komt er financiering van de Vlaamse overheid voor de NIS2-maatregelen?",
        "Welk budget trekken andere steden uit voor NIS2?",
    ),
    "related_bodies": (
        "Vallen het OCMW en het autonoom gemeentebedrijf ook onder NIS2?",
        "Is de politiezone een aparte entiteit onder NIS2 of valt die onder de stad?",
        "Valt ons autonoom gemeentebedrijf onder NIS2?",
        "Vallen de verzelfstandigde agentschappen van de stad ook onder NIS2?",
        "Moet het OCMW apart NIS2-conform worden?",
    ),
    "staffing": (
        "Hebben we een CISO nodig of volstaat de informatieveiligheidsconsulent?",
        "Hoeveel VTE voorzien jullie voor informatieveiligheid?",
        "Kan de DPO ook de rol van CISO opnemen?",
        "Delen steden een CISO met andere besturen?",
        "Welk profiel zoeken jullie voor de CISO?",
    ),
    "awareness": (
        "Hoe organiseren jullie de bewustmakingscampagne rond phishing voor het personeel?",
        "Welke opleiding informatieveiligheid geven jullie aan alle medewerkers?",
        "Doen jullie phishingsimulaties bij het personeel?",
        "Hoe meten we het effect van de bewustmaking bij medewerkers?",
        "Welke e-learning over phishing raden jullie aan voor het personeel?",
    ),
    "continuity": (
        "Hoe testen jullie het bedrijfscontinuïteitsplan na een ransomware-aanval?",
        "Welke back-upstrategie hanteren jullie tegen ransomware?",
        "Hebben jullie een crisisplan voor een cyberaanval?",
        "Hoe snel moeten we de dienstverlening herstellen na een ransomware-aanval?",
        "Hoe oefenen jullie een cyberaanval met het crisisteam?",
    ),
    "audit": (
        "Wie controleert of wij NIS2-conform zijn: het CCB of de inspectiedienst?",
        "Hoe verloopt een inspectie door het CCB?",
        "Wat zijn de sancties bij een inspectie als we niet conform zijn?",
        "Welke boetes riskeert een lokaal bestuur bij een inbreuk op NIS2?",
    ),
    "deadlines": (
        "Tegen wanneer moeten we volledig NIS2-conform zijn?",
        "Welke termijnen gelden er voor lokale besturen voor de NIS2-verplichtingen?",
        "Wat is de planning van de NIS2-deadlines voor de steden?",
    ),
    "mfa": (
        "Hoe hebben jullie multifactorauthenticatie uitgerold voor alle medewerkers?",
        "Is multifactorauthenticatie verplicht voor alle accounts?",
        "Hoe gaan jullie om met multifactorauthenticatie voor gedeelde accounts?",
    ),
    "ot": (
        "Vallen de pompstations en de verkeerslichten (OT) ook onder NIS2?",
        "Hoe beveiligen jullie operationele technologie zoals verkeerslichten en camera's?",
        "Wie is verantwoordelijk voor de OT-beveiliging van de pompstations?",
    ),
    "gdpr": (
        "Hoe verhoudt de meldplicht van NIS2 zich tot de datalekmelding onder de GDPR?",
        "Melden we een datalek dan twee keer: aan de GBA en aan het CCB?",
        "Wat is de rol van de DPO bij NIS2?",
    ),
    "inventory": (
        "Hoe maken jullie de inventaris van alle ICT-middelen op?",
        "Welke tool gebruiken jullie voor de inventaris van de assets?",
        "Hoe houden we de inventaris van de assets actueel?",
    ),
    "cloud": (
        "Mogen we Microsoft 365 nog gebruiken onder NIS2?",
        "Welke afspraken maken jullie met cloudleveranciers zoals Microsoft?",
    ),
    "shared_approach": (
        "Kunnen de centrumsteden samen een NIS2-aanpak uitwerken met het VCDV?",
        "Komt er een gezamenlijke aanpak voor NIS2 via het Kenniscentrum en ABB?",
    ),
    "vulnerability": ("Hoe pakken jullie het beheer van kwetsbaarheden en patches aan?",),
    "logging": ("Hoe lang bewaren jullie de logbestanden van de servers?",),
    "encryption": ("Welk beleid hanteren jullie voor versleuteling van laptops?",),
    "network": ("Hoe scheiden jullie het netwerk van de scholen van het stadsnetwerk?",),
    "mobile": ("Hoe beveiligen jullie de smartphones van de mandatarissen?",),
    "policy": ("Hebben jullie een informatieveiligheidsbeleid dat we mogen hergebruiken?",),
    "physical": ("Welke fysieke beveiliging van het datacenter vraagt NIS2?",),
    "email": ("Hoe beveiligen jullie e-mail met DMARC, SPF en DKIM?",),
    "ai": ("Mogen medewerkers Copilot of ChatGPT gebruiken voor vertrouwelijke dossiers?",),
    "pentest": ("Hoe vaak laten jullie een penetratietest uitvoeren?",),
    "vendor_access": ("Hoe regelen jullie toegang op afstand voor externe firma's?",),
    "documentation": ("Welke documenten moeten we kunnen voorleggen als bewijs van conformiteit?",),
    "legacy": ("Hoe gaan jullie om met verouderde software die niet meer ondersteund wordt?",),
    "schools": ("Welke afspraken maken jullie met de scholen over informatieveiligheid?",),
    "buildings": ("Hoe organiseren jullie de toegangscontrole tot de gebouwen?",),
    "privileged": ("Hoe beheren jullie de beheerdersaccounts met verhoogde rechten?",),
    "soc": ("Gebruiken jullie een SOC of een externe monitoringdienst?",),
    "citizens": ("Hoe communiceren we met de burgers na een cyberaanval?",),
    "digitaal_vlaanderen": (
        "Welke rol speelt Digitaal Vlaanderen in de begeleiding van de steden?",
    ),
    "byod": ("Hoe gaan jullie om met thuiswerk en privétoestellen?",),
}

# Deliberate near-duplicates from different members: each set must end up in one agenda item.
NEAR_DUPLICATES: tuple[tuple[str, ...], ...] = (
    TOPICS["entity"],
    TOPICS["registration"],
    (
        "Binnen welke termijn moeten we een significant incident melden aan het CCB?",
        "Wie meldt een significant incident bij het CCB en binnen welke termijn?",
        "Wanneer is een incident significant en moeten we het melden?",
        "Welke incidenten moeten we melden aan het CCB?",
        "Hoe snel moeten we een ernstig incident melden bij het CCB?",
    ),
    (
        "Welke eisen mogen we stellen aan leveranciers in de toeleveringsketen?",
        "Hoe beoordelen we de beveiliging van de toeleveringsketen en de leveranciers?",
        "Hoe pakken andere steden de beveiliging van de toeleveringsketen aan?",
    ),
    (
        "Vallen het OCMW en het autonoom gemeentebedrijf ook onder NIS2?",
        "Valt ons autonoom gemeentebedrijf onder NIS2?",
    ),
    (
        "Welke tool gebruiken jullie voor de inventaris van de assets?",
        "Hoe houden we de inventaris van de assets actueel?",
    ),
)

# Topics that share words with another topic but ask something else: never in one item.
SEPARATE: tuple[tuple[str, str], ...] = (
    ("entity", "related_bodies"),
    ("registration", "related_bodies"),
    ("incident_reporting", "gdpr"),
    ("incident_reporting", "supply_chain"),
    ("supply_chain", "cloud"),
    ("supply_chain", "deadlines"),
    ("risk_analysis", "inventory"),
    ("awareness", "management_liability"),
    ("budget", "management_liability"),
    ("budget", "related_bodies"),
)


@dataclass(frozen=True)
class Sent:
    """One question as a member sent it."""

    id: int
    organisation: int  # index into ORGANISATIONS
    member: int  # index over all members
    rank: int
    text: str
    topic: str


def members() -> list[int]:
    """The organisation index of each of the 40 members."""
    return [org for org, (_, count) in enumerate(ORGANISATIONS) for _ in range(count)]


def questions() -> list[Sent]:
    """The 120 questions: every member sends three, on three different topics.

    Phrasings are dealt out topic by topic, going round the members seven at a time (so one
    topic reaches many organisations), skipping a member who already has that topic or three
    questions; ranks follow the order of dealing.
    """
    owners = members()
    load: list[list[str]] = [[] for _ in owners]
    sent: list[Sent] = []
    turn = 0
    for topic, phrasings in TOPICS.items():
        for text in phrasings:
            while len(load[7 * turn % len(owners)]) == 3 or topic in load[7 * turn % len(owners)]:
                turn += 1
            member = 7 * turn % len(owners)
            load[member].append(topic)
            sent.append(
                Sent(
                    id=len(sent) + 1,
                    organisation=owners[member],
                    member=member,
                    rank=len(load[member]),
                    text=text,
                    topic=topic,
                )
            )
            turn += 1
    assert len(sent) == 120 and all(len(topics) == 3 for topics in load), len(sent)
    return sent
