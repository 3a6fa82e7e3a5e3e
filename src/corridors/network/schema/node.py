"""The ``node.csv`` table: terminals, ports, borders, junctions and cities.

Their places, dwell and clearance times, handling costs and capacities.
"""

from __future__ import annotations

from corridors.network.schema.bounds import (
    HOURS_PER_YEAR,
    MAX_T_YR,
    MAX_TEU_YR,
    MAX_USD_T,
    MAX_USD_TEU,
)
from corridors.network.schema.field import SOURCE, Field, Table, lifecycle_fields
from corridors.network.schema.vocabulary import NODE_KINDS

NODE = Table(
    name="node",
    filename="node.csv",
    key="node_id",
    description="Places: terminals, ports, border crossings, junctions, cities, oil fields.",
    other_gmns_fields=("z_coord", "ctrl_type", "zone_id", "parent_node_id"),
    fields=(
        Field("node_id", "id", required=True, gmns=True, description="Unique node identifier."),
        Field("name", "str", gmns=True, description="Name shown to users; blank: the node id."),
        Field(
            "x_coord",
            "float",
            unit="deg",
            required=True,
            minimum=-180,
            maximum=180,
            gmns=True,
            description="Longitude (WGS 84); x in the config's crs, converted on reading.",
        ),
        Field(
            "y_coord",
            "float",
            unit="deg",
            required=True,
            minimum=-90,
            maximum=90,
            gmns=True,
            description="Latitude (WGS 84); y in the config's crs, converted on reading.",
        ),
        Field(
            "node_type",
            "str",
            gmns=True,
            description="GMNS node type, free text (intersection, external, port, ...); "
            "written from kind on export.",
        ),
        Field(
            "kind",
            "enum",
            choices=NODE_KINDS,
            description="Kind of place; blank: node_type when it names a kind, else junction.",
        ),
        Field(
            "country",
            "country",
            description="ISO 3166-1 alpha-2 code of the country the node lies in; blank: "
            "unknown (no border is counted between two nodes of unknown country).",
        ),
        Field("aliases", "tags", description="Other names users may type (';'-separated)."),
        Field(
            "handling_h",
            "float",
            unit="h",
            default=0.0,
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Time to transfer a unit between modes or gauges here.",
        ),
        Field(
            "handling_usd_teu",
            "float",
            unit="USD/TEU",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Cost of a transfer (mode change or gauge change) per TEU.",
        ),
        Field(
            "handling_usd_t",
            "float",
            unit="USD/t",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_T,
            description="Cost of a transfer (mode change or gauge change) per tonne.",
        ),
        Field(
            "border_h",
            "float",
            unit="h",
            default=0.0,
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Clearance time entering this node's country over a link from "
            "another country (inbound).",
        ),
        Field(
            "border_usd_teu",
            "float",
            unit="USD/TEU",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Inbound clearance cost per TEU.",
        ),
        Field(
            "border_usd_t",
            "float",
            unit="USD/t",
            default=0.0,
            minimum=0,
            maximum=MAX_USD_T,
            description="Inbound clearance cost per tonne.",
        ),
        Field(
            "border_exit_h",
            "float",
            unit="h",
            minimum=0,
            maximum=HOURS_PER_YEAR,
            description="Clearance time leaving this node's country over a link to another "
            "country (outbound); blank: same as border_h.",
        ),
        Field(
            "border_exit_usd_teu",
            "float",
            unit="USD/TEU",
            minimum=0,
            maximum=MAX_USD_TEU,
            description="Outbound clearance cost per TEU; blank: same as border_usd_teu.",
        ),
        Field(
            "border_exit_usd_t",
            "float",
            unit="USD/t",
            minimum=0,
            maximum=MAX_USD_T,
            description="Outbound clearance cost per tonne; blank: same as border_usd_t.",
        ),
        Field(
            "capacity_teu_yr",
            "float",
            unit="TEU/yr",
            minimum=1,
            exclusive_minimum=False,
            maximum=MAX_TEU_YR,
            description="Throughput capacity in TEU a year (blank: not binding); with a "
            "service time but no berths or trains_per_day it also gives the node its "
            "servers (see berths).",
        ),
        Field(
            "capacity_t_yr",
            "float",
            unit="t/yr",
            minimum=1,
            exclusive_minimum=False,
            maximum=MAX_T_YR,
            description="Throughput capacity in tonnes a year (blank: not binding); with a "
            "service time but no berths or trains_per_day it also gives the node its "
            "servers (see berths).",
        ),
        Field(
            "trains_per_day",
            "float",
            unit="trains/day",
            minimum=0.01,
            exclusive_minimum=False,
            maximum=1000,
            description="Trains the node can process (border or gauge change) a day.",
        ),
        Field(
            "berths",
            "int",
            minimum=0,
            exclusive_minimum=True,
            maximum=1000,
            description="Berths (ports), gauge-change tracks or inspection lanes (borders) "
            "working in parallel: the node's servers. Blank: enough for trains_per_day "
            "(ceil(trains a day x service_h / 24)), else enough for the table capacity "
            "(ceil(shipments a year x service_h / (8,760 h x open share)), the shipments "
            "the more of capacity_teu_yr in 100-TEU trains and capacity_t_yr in 1,500 t "
            "wagon groups), so the stated capacity is where the queue binds; else none.",
        ),
        Field(
            "service_h",
            "float",
            unit="h",
            minimum=0,
            exclusive_minimum=True,
            maximum=HOURS_PER_YEAR,
            description="Time one train or wagon group holds a server of the node (a "
            "gauge-change track, a ferry berth, an inspection lane), without the wait "
            "for a free server: the equilibrium and the simulation queue for the servers "
            "(berths, else enough for trains_per_day, else for the table capacity) on top. "
            "Blank: handling_h; a border without handling then has no servers. Where "
            "handling_h included a wait, it is this time only: the queue adds the wait.",
        ),
        Field(
            "yard_slots",
            "int",
            minimum=0,
            exclusive_minimum=True,
            maximum=10000000,
            description="Wagons or TEU that can wait in a port's yard for a ship (blank: "
            "unlimited); when the yard is full, trains wait before the port.",
        ),
        *lifecycle_fields("nodes"),
        SOURCE,
    ),
)
