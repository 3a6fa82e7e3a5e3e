"""The multimodal network: GMNS-style tables, their validation and the network model."""

from __future__ import annotations

from corridors.network.io import NetworkReading, build_network, inspect_network, read_network
from corridors.network.model import Network
from corridors.network.write import write_network

__all__ = [
    "Network",
    "NetworkReading",
    "build_network",
    "inspect_network",
    "read_network",
    "write_network",
]
