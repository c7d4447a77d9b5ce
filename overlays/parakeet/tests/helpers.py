import os
import struct
import sys
import tempfile
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
OVERLAY = os.path.dirname(HERE)
for p in (OVERLAY, os.path.join(HERE, "fake_nemo")):
    if p not in sys.path:
        sys.path.insert(0, p)


def write_wav(levels, rate=1000):
    """A mono 16-bit WAV made of (seconds, sample value) runs; returns its path (caller removes)."""
    fd, path = tempfile.mkstemp(suffix=".wav")
    os.close(fd)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for seconds, value in levels:
            n = int(round(seconds * rate))
            w.writeframes(struct.pack("<%dh" % n, *([value] * n)))
    return path
