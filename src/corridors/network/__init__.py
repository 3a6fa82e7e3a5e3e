"""The multimodal network: GMNS-style tables, their validation and the network model."""

from __future__ import annotations

from corridors.network.io import build_network, read_network, write_network
from corridors.network.model import Network

__all__ = ["Network", "build_network", "read_network", "write_network"]
