"""Observed transit times and prices the calibration fits, declared as data with sources.

A time or price target is a *range* by year (zero residual inside, the log distance to
the nearer end outside) of one part of a market's route on one corridor
(:class:`Segment`): the time from the origin to the Black Sea ports on the Middle
Corridor, the stop at the Kazakh border, the 1520 mm section of the Northern route. The
modelled time is the congested time of the equilibrium of that year (free time of the
route's legs and stops, plus the queue time of its elements and the hours of the
slow-downs on its links); the modelled price is the money of the legs and stops, plus the
surcharges of the disruptions the target names (freight-rate spikes are prices, the
risk premium of a corridor is not). Figures and sources: ``corridor-facts.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

TITR_MARKET = "china_eu"
"""Market whose Middle and Northern routes carry the shipped route targets."""

CASPIAN_PORTS = ("aktau", "kuryk", "turkmenbashi")
"""Caspian ports on the eastern shore, where a Middle Corridor crossing starts."""

BLACK_SEA_PORTS = ("poti", "batumi")
"""Georgian Black Sea ports, where the TITR's China - Black Sea time ends."""

CHINESE_BORDERS = ("alashankou", "khorgos")
"""Chinese rail border stations facing Kazakhstan."""

KAZAKH_BORDERS = ("dostyk", "altynkol")
"""Kazakh rail border crossings with China (the CAREC Kazakhstan series)."""


@dataclass(frozen=True)
class Segment:
    """A part of one market's route on one corridor.

    Attributes
    ----------
    market : str
        Market whose route it is.
    corridor : str
        Corridor of the route.
    start : tuple of str
        Node ids where the part starts (the first one the route reaches); empty: the
        origin.
    end : tuple of str
        Node ids where it ends (the last one the route reaches); empty: the destination.
    stops_at_ends : bool
        Count the stops (border, transfer, handling) at the start and end nodes. With
        ``start == end`` and this set, the segment is the time spent at those nodes.
    """

    market: str
    corridor: str
    start: tuple[str, ...] = ()
    end: tuple[str, ...] = ()
    stops_at_ends: bool = False


@dataclass(frozen=True)
class RangeTarget:
    """An observed range by year of a segment's time or price.

    Attributes
    ----------
    name : str
        Label in the fit table.
    segment : Segment
        What is timed or priced.
    observed : dict of int to (float, float)
        Low and high of the observed range by year, in ``unit`` (a point: low = high).
    unit : str
        ``d``, ``h`` or ``share`` for times; ``TEU`` or ``FEU`` (USD per) for prices.
    weight : float
        Weight of its residuals in the fit.
    source : str
        Where the figures come from.
    """

    name: str
    segment: Segment
    observed: dict[int, tuple[float, float]]
    unit: str = "d"
    weight: float = 1.0
    source: str = ""


@dataclass(frozen=True)
class TimeTarget(RangeTarget):
    """An observed transit time of a segment.

    Days or hours, or with ``unit="share"`` the segment's share of the time of
    ``share_of``.
    """

    share_of: Segment | None = None


@dataclass(frozen=True)
class PriceTarget(RangeTarget):
    """An observed price of a segment, USD per TEU or FEU.

    An FEU pays twice the TEU figures (:func:`corridors.cost.parameters.money_columns`);
    the surcharges of the disruptions named in ``surcharges`` (freight-rate spikes) are
    part of the price, weighed by the share of the year they cover.
    """

    unit: str = "FEU"
    surcharges: tuple[str, ...] = ()


TITR_CHINA_BLACK_SEA = Segment(TITR_MARKET, "middle", end=BLACK_SEA_PORTS)
"""Xi'an to the Georgian Black Sea ports on the Middle Corridor."""


def default_time_targets() -> tuple[TimeTarget, ...]:
    """The shipped transit-time targets (``corridor-facts.md``).

    * TITR China - Black Sea: 38-53 d before the 2023 reforms (2021, 2022), 19-23 d
      after (2023) (Kazakh government, 2023; the year of the change is an assumption).
    * Kazakh section (from the Chinese border station to the Caspian port, the port's
      stop left out): 12 d before the reforms, 6 d after (Kazakh government, 2023),
      +-15 %.
    * The Caspian crossing (eastern port to Alat, stops included) is up to half of it
      (CAREC CPMM Georgia, 2020; applied to 2021 as 25-50 %, U).
    * Kazakh rail border crossing (stops at Dostyk or Altynkol, westbound = inbound):
      CAREC CPMM inbound 78.0 h in 2022, 2021 and 2023 scaled by the Kazakhstan series
      (57.2, 69.7 h against 67.4 h): 66.2 and 80.7 h; +-10 %.
    * Brest - Malaszewicze: a wait of 2-3 days normally (railtech.com, 2018; applied
      to 2022-2023); "sometimes weeks": up to 14 days in 2021, the year of record
      China-Europe volumes, when the 14 trains a day were full (EST).
    * 1520 mm section of the Northern route (Dostyk to Brest, border to border):
      7.31 d (ERAI, July 2024), +-10 %.
    """
    kz = Segment(TITR_MARKET, "middle", KAZAKH_BORDERS, KAZAKH_BORDERS, stops_at_ends=True)
    caspian = Segment(TITR_MARKET, "middle", CASPIAN_PORTS, ("alat",), stops_at_ends=True)
    brest = Segment(TITR_MARKET, "northern", ("brest",), ("malaszewicze",), stops_at_ends=True)
    section_1520 = Segment(TITR_MARKET, "northern", KAZAKH_BORDERS, ("brest",))
    # from the Chinese border station (its outbound stop left out) to the Caspian port
    kz_section = Segment(TITR_MARKET, "middle", CHINESE_BORDERS, CASPIAN_PORTS)
    return (
        TimeTarget(
            "TITR China - Black Sea",
            TITR_CHINA_BLACK_SEA,
            {2021: (38.0, 53.0), 2022: (38.0, 53.0), 2023: (19.0, 23.0)},
            "d",
            source="Kazakh government 2023 (corridor-facts.md, Sections and services)",
        ),
        TimeTarget(
            "Kazakh section",
            kz_section,
            {2021: (10.2, 13.8), 2022: (10.2, 13.8), 2023: (5.1, 6.9)},
            "d",
            source="Kazakh government 2023: 12 d -> 6 d (corridor-facts.md), +-15 %",
        ),
        TimeTarget(
            "Caspian crossing share",
            caspian,
            {2021: (0.25, 0.5)},
            "share",
            share_of=TITR_CHINA_BLACK_SEA,
            weight=0.5,
            source="CAREC CPMM Georgia 2020: can be half of the journey (U)",
        ),
        TimeTarget(
            "Kazakh border crossing",
            kz,
            {
                2021: (0.9 * 66.2, 1.1 * 66.2),
                2022: (0.9 * 78.0, 1.1 * 78.0),
                2023: (0.9 * 80.7, 1.1 * 80.7),
            },
            "h",
            source="ADB CAREC CPMM: Kazakhstan 57.2 / 67.4 (inbound 78.0) / 69.7 h 2021-2023",
        ),
        TimeTarget(
            "Brest - Malaszewicze",
            brest,
            {2021: (2.0, 14.0), 2022: (2.0, 3.0), 2023: (2.0, 3.0)},
            "d",
            source="railtech.com 2018: wait 2-3 days normally, often 5, sometimes weeks; "
            "2021 (record volumes, the 14 trains a day full): up to two weeks (EST)",
        ),
        TimeTarget(
            "1520 mm section",
            section_1520,
            {2024: (0.9 * 7.31, 1.1 * 7.31)},
            "d",
            source="ERAI, July 2024: 7.31 days",
        ),
    )


def default_price_targets() -> tuple[PriceTarget, ...]:
    """The shipped price targets (``corridor-facts.md``, Prices).

    * ERAI rail index, 1520 mm border to border, per FEU: the 3-year range 2,691-3,295
      for 2021-2023 (~2,900 in 2023), 3,289 in July 2024 (+-5 %).
    * Drewry WCI Shanghai-Rotterdam per FEU, for the sea leg of the Suez route (the
      model's ports: Yantian or Shanghai to Genoa or Rotterdam), with the freight-rate
      disruptions of the year as part of the price: 8,740-13,066 (2021), 2,192-14,028
      (2022), 1,000-1,500 (2023), 3,997-7,429 (2024).
    """
    section_1520 = Segment(TITR_MARKET, "northern", KAZAKH_BORDERS, ("brest",))
    sea = Segment(TITR_MARKET, "sea_suez", ("yantian", "shanghai"), ("genoa", "rotterdam"))
    return (
        PriceTarget(
            "ERAI 1520 mm",
            section_1520,
            {
                2021: (2691.0, 3295.0),
                2022: (2691.0, 3295.0),
                2023: (2691.0, 3295.0),
                2024: (0.95 * 3289.0, 1.05 * 3289.0),
            },
            "FEU",
            source="ERAI via index1520 (corridor-facts.md, Prices)",
        ),
        PriceTarget(
            "WCI Shanghai - Rotterdam",
            sea,
            {
                2021: (8740.0, 13066.0),
                2022: (2192.0, 14028.0),
                2023: (1000.0, 1500.0),
                2024: (3997.0, 7429.0),
            },
            "FEU",
            surcharges=("sea_rates_2021", "sea_rates_2022", "sea_rates_2023", "sea_rates_2024"),
            source="Drewry WCI (corridor-facts.md, Prices)",
        ),
    )
