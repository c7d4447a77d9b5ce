# Loaded by the simulator's python3 shim. A simulated Spark's LAN is the simulator's UDP listener
# ($SIM_STATE/lan: "127.0.0.1 <port>"): every UDP datagram is delivered there, whatever address the
# program named (a broadcast, another host), and TCP may only reach loopback. Nothing leaves 127/8.
import errno
import os
import socket

_real_sendto = socket.socket.sendto
_real_connect = socket.socket.connect


def _lan():
    try:
        with open(os.path.join(os.environ["SIM_STATE"], "lan")) as f:
            host, port = f.read().split()
        return host, int(port)
    except (KeyError, OSError, ValueError):
        raise OSError(errno.ENETUNREACH, "Network is unreachable (the simulated LAN is not running)")


def _sendto(self, data, *args):
    if self.type == socket.SOCK_DGRAM and self.family == socket.AF_INET:
        return _real_sendto(self, data, *args[:-1], _lan())
    raise OSError(errno.ENETUNREACH, "Network is unreachable (simulated Spark: UDP over IPv4 only)")


def _connect(self, address):
    if self.family == socket.AF_INET and self.type == socket.SOCK_DGRAM:
        return _real_connect(self, _lan())
    if self.family == socket.AF_INET and str(address[0]).startswith("127."):
        return _real_connect(self, address)
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    raise OSError(errno.ENETUNREACH, "Network is unreachable (a simulated Spark reaches only loopback)")


socket.socket.sendto = _sendto
socket.socket.connect = _connect
