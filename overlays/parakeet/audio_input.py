"""Turns an upload into a 16 kHz mono PCM WAV on disk (what Sortformer and TitaNet read).
WAV uploads are used as they are; anything else goes through ffmpeg (argv, never a shell)."""

import io
import os
import subprocess
import tempfile
import wave


class AudioError(ValueError):
    pass


def is_wav(data):
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WAVE"


def pcm_wav_readable(data):
    """True when the standard library's wave module reads the header (16-bit PCM and friends), as
    wav_windows and wav_duration need. Other WAVs (float, extensible, broken headers) go through
    ffmpeg: left to NeMo a broken one would fail as a 500, which the control plane reads as a wedge."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            return w.getframerate() > 0 and w.getnchannels() > 0
    except (wave.Error, EOFError, RuntimeError):
        return False


def save_upload(data, filename="upload"):
    """Writes the upload to a temp WAV and returns its path; the caller removes it."""
    if not data:
        raise AudioError("empty audio file")
    fd, path = tempfile.mkstemp(suffix=".wav", prefix="diarize-")
    os.close(fd)
    if is_wav(data) and pcm_wav_readable(data):
        with open(path, "wb") as f:
            f.write(data)
        return path
    fd, src = tempfile.mkstemp(prefix="diarize-src-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        argv = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", src, "-ac", "1", "-ar", "16000", path]
        try:
            done = subprocess.run(argv, capture_output=True, timeout=600)
        except FileNotFoundError:
            os.unlink(path)
            raise AudioError("Could not read audio file %r: not WAV, and ffmpeg is not installed" % (filename,))
        except subprocess.TimeoutExpired:
            os.unlink(path)
            raise AudioError("Could not read audio file %r: decoding took longer than 10 minutes" % (filename,))
        if done.returncode != 0:
            os.unlink(path)
            raise AudioError("Could not read audio file %r: %s" % (filename, done.stderr.decode(errors="replace")[-300:]))
        return path
    finally:
        os.unlink(src)
