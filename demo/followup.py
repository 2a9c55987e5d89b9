"""What the follow-up needs beyond the register and the casework: the external
unemployment series and the unit manager's targets, through the real actions.

The indicators themselves are computed from the demo's two years of register
and casework history; only goal 5 (unemployment among 20–24-year-olds) comes
from outside, as Arbetsförmedlingen publishes it.
"""

import random
from datetime import date
from decimal import Decimal

from followup import actions
from followup.models import SeriesValue
from followup.periods import current_tertial, last_complete_tertial

TERTIALS = 7  # two years and a bit, so every chart has a trend
# A target per goal, as a board might set it (shares in per cent).
TARGETS = {
    "interruptions": Decimal(20),
    "kaa_offered_share": Decimal(80),
    "resumed_after_interruption_share": Decimal(40),
    "outreach_resumed_studies_share": Decimal(25),
    "unemployment_20_24": Decimal("6.0"),
}


def build_followup(*, municipality, users: dict, today: date, seed: int) -> dict[str, int]:
    """Load once; a second run finds the series and changes nothing."""
    if SeriesValue.objects.filter(municipality=municipality).exists():
        return {}
    rng = random.Random(seed)
    periods = last_complete_tertial(today).trend(TERTIALS)
    value = Decimal("8.4")
    lines = ["municipality_code,period,value,source"]
    for period in periods:
        # Slowly falling, with the summer tertial a little higher.
        step = Decimal(rng.randint(-6, 2)) / 10 + (Decimal("0.4") if period.label[-1] == "2" else 0)
        value = max(Decimal("4.0"), value + step)
        lines.append(f"{municipality.code},{period.label},{value},Arbetsförmedlingen (demo)")
    actions.import_series(by=users["syv"], text="\n".join(lines) + "\n", file_name="demo.csv")
    for indicator_id, target in TARGETS.items():
        for period in (periods[-1], current_tertial(today)):
            actions.set_target(
                by=users["chef"],
                municipality=municipality,
                indicator_id=indicator_id,
                period=period.label,
                value=target,
            )
    return {"tertials of unemployment": len(periods), "targets": len(TARGETS)}
