"""The letters every municipality starts with, in Swedish: the letters go to
young people and guardians in Sweden whatever language the staff's screens use.

Written in plain language, warm, and clear that taking up support is
voluntary, as municipalities write about aktivitetsansvaret. A unit manager
adapts them at /letters/.
"""

from .models import Purpose

SIGNATURE = """Med vänliga hälsningar
{handläggare}
{enhet}"""

DEFAULT_TEMPLATES = [
    {
        "name": "Första brevet",
        "purpose": Purpose.FIRST_LETTER,
        "subject": "Hej {förnamn}! Vi vill gärna höra hur du har det",
        "body": f"""Hej {{förnamn}}!

Du får det här brevet eftersom du bor i {{kommun}}, är under 20 år och inte går i gymnasieskolan just nu. Kommunen har ett ansvar att hålla kontakt med alla unga i din situation och erbjuda stöd till den som vill ha det. Det kallas det kommunala aktivitetsansvaret.

Du har inte gjort något fel, och det är frivilligt att ta emot stöd. Men vi vill gärna veta vad du gör just nu: om du jobbar, studerar någon annanstans eller gör något annat.

Vi kan till exempel hjälpa dig att
– hitta en utbildning som passar dig, eller komma tillbaka till gymnasiet
– prata med en studie- och yrkesvägledare om vad du vill göra framöver
– hitta praktik eller jobb
– få kontakt med andra som kan stötta dig.

Hör av dig till mig, {{handläggare}}, på telefon {{telefon}} eller e-post {{epost}}. Det går också bra att skicka ett sms. Om du redan har något att göra räcker det att du berättar det för oss.

Vi ser fram emot att höra av dig!

{SIGNATURE}""",
    },
    {
        "name": "Påminnelse",
        "purpose": Purpose.REMINDER,
        "subject": "Vi har inte fått tag på dig, {förnamn}",
        "body": f"""Hej {{förnamn}}!

Vi har försökt nå dig tidigare men har inte fått kontakt. Därför skriver vi igen.

Vi arbetar med det kommunala aktivitetsansvaret i {{kommun}}. Det betyder att vi håller kontakt med unga under 20 år som inte går i gymnasieskolan, och erbjuder stöd till den som vill ha det. Du bestämmer själv om du vill ta emot stöd.

Vi vill gärna veta hur du har det och vad du gör i dag. Kanske jobbar du, studerar eller funderar på vad du vill göra. Vi kan hjälpa dig med studier, praktik eller jobb, eller bara ta ett samtal om framtiden.

Ring eller sms:a mig på {{telefon}}, eller mejla {{epost}}. Det räcker att du svarar med några rader om vad du gör nu.

{SIGNATURE}""",
    },
    {
        # Outreach (20–25): adults who agreed to be in touch, so no "under 20" and
        # no aktivitetsansvar; the tone of the reminder above.
        "name": "Påminnelse, 20–25 år",
        "purpose": Purpose.REMINDER,
        "subject": "Hur går det för dig, {förnamn}?",
        "body": f"""Hej {{förnamn}}!

Vi har haft kontakt tidigare, och du ville att vi skulle höra av oss. Vi har försökt nå dig men inte fått tag på dig, så vi skriver i stället.

Vi arbetar i {{kommun}} med unga vuxna mellan 20 och 25 år som vill ha stöd att komma vidare till studier eller jobb. Det är frivilligt, och du bestämmer själv vad du vill ha hjälp med.

Vi kan till exempel hjälpa dig att söka en utbildning på komvux eller folkhögskola, hitta praktik eller jobb, eller få kontakt med Arbetsförmedlingen och andra som kan stötta dig.

Ring eller sms:a mig på {{telefon}}, eller mejla {{epost}}. Vill du inte att vi hör av oss fler gånger räcker det att du säger det.

{SIGNATURE}""",
    },
    {
        "name": "Till vårdnadshavare",
        "purpose": Purpose.GUARDIANS,
        "subject": "Till vårdnadshavare för {namn}",
        "body": f"""Hej {{vårdnadshavare}}!

Vi skriver till dig som är vårdnadshavare för {{namn}}. Vi arbetar med det kommunala aktivitetsansvaret i {{kommun}}. Enligt skollagen ska kommunen hålla kontakt med unga under 20 år som inte går i gymnasieskolan och erbjuda dem stöd, till exempel att börja studera igen, få vägledning om utbildning och yrken eller hitta praktik.

Vi vill gärna komma i kontakt med {{förnamn}}. Du kan hjälpa oss genom att berätta för {{förnamn}} att vi har hört av oss, eller genom att själv kontakta oss.

Det är frivilligt att ta emot stöd, och ingen har gjort något fel. Vi vill bara se till att {{förnamn}} vet vilka möjligheter som finns.

Du når mig, {{handläggare}}, på telefon {{telefon}} eller e-post {{epost}}.

{SIGNATURE}""",
    },
]
