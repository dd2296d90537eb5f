"""US Country Groups (dated) and the Commerce Country Chart.

``groups_of(cc, on)``, ``is_known_country(cc)``, ``country_name(cc)`` and
``chart_reasons(eccn, cc)`` are the API the determination engine uses; data is the bundled eCFR
issue of 2026-07-23 plus the dated membership changes in ``data/group_changes.yaml``.
"""

from chipexport.rules.us.countries.chart import ChartHit, CountryError, chart_reasons
from chipexport.rules.us.countries.groups import (
    Membership,
    country_name,
    group_memberships,
    groups_of,
    is_known_country,
    memberships,
    resolve,
)

__all__ = ["ChartHit", "CountryError", "Membership", "chart_reasons", "country_name",
           "group_memberships", "groups_of", "is_known_country", "memberships", "resolve"]
