"""Cuts time windows out of a PCM WAV file with the standard library only (wave), so a speaker's
turns can be handed to TitaNet as one file. No NeMo, no numpy."""

import wave


def wav_duration(path):
    with wave.open(path, "rb") as w:
        rate = w.getframerate()
        return w.getnframes() / float(rate) if rate else 0.0


def write_windows(src_path, windows, dst_path):
    """Concatenates the (start_s, end_s) windows of src_path into dst_path; returns seconds written."""
    with wave.open(src_path, "rb") as src:
        params = src.getparams()
        rate, total = src.getframerate(), src.getnframes()
        written = 0
        with wave.open(dst_path, "wb") as dst:
            dst.setparams(params)
            for start_s, end_s in windows:
                first = max(0, min(total, int(round(start_s * rate))))
                last = max(first, min(total, int(round(end_s * rate))))
                src.setpos(first)
                dst.writeframes(src.readframes(last - first))
                written += last - first
    return written / float(rate) if rate else 0.0
