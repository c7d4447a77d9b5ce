"""Pure diarization logic for the Parakeet overlay: no NeMo, no torch, no numpy.

Sortformer gives two things per file: segment strings ("<start> <end> speaker_<k>") and a
[frames x speakers] matrix of per-frame sigmoid probabilities. Everything here works on plain
Python lists so it runs (and is unit-tested) with Debian's python3 alone; diarizer.py turns NeMo's
tensors into lists before calling in.
"""

import math
import re

EMBEDDING_DIM = 192
# A speaker's fingerprint comes from at most this much of their speech (longest turns first):
# TitaNet is stable from a few seconds on, and a cap bounds GPU time per chunk.
FINGERPRINT_MAX_S = 30.0
# Turns shorter than this are mostly overlap and backchannel ("mm-hm"), poor voice samples.
FINGERPRINT_MIN_TURN_S = 0.5

_SEGMENT_RE = re.compile(r"^\s*([0-9.eE+-]+)\s+([0-9.eE+-]+)\s+(?:speaker_)?(\d+)\s*$", re.IGNORECASE)


def speaker_label(index):
    return "Speaker_%d" % int(index)


def speaker_index(label):
    m = re.match(r"^Speaker_(\d+)$", label)
    if not m:
        raise ValueError("not a local speaker label: %r" % (label,))
    return int(m.group(1))


def parse_segment(raw):
    """One Sortformer segment ("0.24 3.12 speaker_0", or a (start, end, k) sequence) → dict."""
    if isinstance(raw, str):
        m = _SEGMENT_RE.match(raw)
        if not m:
            raise ValueError("unreadable diarization segment: %r" % (raw,))
        start, end, k = float(m.group(1)), float(m.group(2)), int(m.group(3))
    else:
        start, end, spk = raw[0], raw[1], raw[2]
        m = re.search(r"(\d+)$", str(spk))
        if not m:
            raise ValueError("diarization segment without a speaker index: %r" % (raw,))
        k = int(m.group(1))
        start, end = float(start), float(end)
    if not (math.isfinite(start) and math.isfinite(end)) or end < start or start < 0:
        raise ValueError("diarization segment with bad times: %r" % (raw,))
    return {"start_s": round(start, 3), "end_s": round(end, 3), "speaker": speaker_label(k)}


def frame_rate(n_frames, duration_s):
    """Frames per second, from the tensor's length and the audio's duration (no hard-coded stride)."""
    if not n_frames or not duration_s or duration_s <= 0:
        return None
    return n_frames / float(duration_s)


def _frame_range(start_s, end_s, fps, n_frames):
    first = max(0, int(math.floor(start_s * fps)))
    last = min(n_frames, int(math.ceil(end_s * fps)))
    return first, last


def segment_confidence(probs, segment, fps):
    """Mean probability of the segment's speaker over the segment's frames; None when unknown."""
    if not probs or fps is None:
        return None
    k = speaker_index(segment["speaker"])
    first, last = _frame_range(segment["start_s"], segment["end_s"], fps, len(probs))
    values = []
    for t in range(first, last):
        row = probs[t]
        if k >= len(row):
            return None
        values.append(float(row[k]))
    if not values:
        return None
    return round(min(1.0, max(0.0, sum(values) / len(values))), 4)


def attach_confidence(segments, probs, duration_s):
    """Adds `confidence` to every segment (None for all when the matrix is missing or unusable)."""
    fps = frame_rate(len(probs) if probs else 0, duration_s)
    out = []
    for seg in segments:
        try:
            conf = segment_confidence(probs, seg, fps)
        except (TypeError, ValueError, IndexError):
            conf = None
        out.append(dict(seg, confidence=conf))
    return out


def segments_from_probs(probs, duration_s, threshold=0.5, min_duration_s=0.0):
    """Segments straight from the frame matrix: each run of frames where a speaker is ≥ threshold.

    Used when NeMo returns the matrix but no segment strings (and by tests as an oracle). Overlap
    is kept: two speakers active in one frame give two segments, as Sortformer's sigmoids allow.
    """
    fps = frame_rate(len(probs) if probs else 0, duration_s)
    if fps is None:
        return []
    n_spk = max(len(row) for row in probs)
    segments = []
    for k in range(n_spk):
        start = None
        for t in range(len(probs) + 1):
            active = t < len(probs) and k < len(probs[t]) and float(probs[t][k]) >= threshold
            if active and start is None:
                start = t
            elif not active and start is not None:
                s, e = start / fps, min(duration_s, t / fps)
                if e - s >= min_duration_s:
                    segments.append({"start_s": round(s, 3), "end_s": round(e, 3), "speaker": speaker_label(k)})
                start = None
    return sort_segments(segments)


def sort_segments(segments):
    return sorted(segments, key=lambda s: (s["start_s"], s["end_s"], s["speaker"]))


def speakers_detected(segments):
    return sorted({s["speaker"] for s in segments}, key=speaker_index)


def fingerprint_windows(segments, speaker, max_total_s=FINGERPRINT_MAX_S, min_turn_s=FINGERPRINT_MIN_TURN_S):
    """(start, end) windows of one speaker's audio for TitaNet: their longest turns, up to max_total_s.

    Falls back to the longest turn of any length when all are short, so every detected speaker
    still gets a fingerprint. Returned in time order.
    """
    turns = [s for s in segments if s["speaker"] == speaker and s["end_s"] > s["start_s"]]
    if not turns:
        return []
    by_length = sorted(turns, key=lambda s: (-(s["end_s"] - s["start_s"]), s["start_s"]))
    chosen, total = [], 0.0
    for s in by_length:
        length = s["end_s"] - s["start_s"]
        if length < min_turn_s:
            break
        if total >= max_total_s:
            break
        take = min(length, max_total_s - total)
        chosen.append((s["start_s"], s["start_s"] + take))
        total += take
    if not chosen:
        s = by_length[0]
        chosen = [(s["start_s"], s["end_s"])]
    return sorted((round(a, 3), round(b, 3)) for a, b in chosen)


def flatten_embedding(value):
    """A TitaNet embedding as a list of 192 floats ([1, 192] and [192] both accepted)."""
    flat = []

    def walk(v):
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        else:
            flat.append(float(v))

    walk(value)
    if len(flat) != EMBEDDING_DIM:
        raise ValueError("expected a %d-dim speaker embedding, got %d values" % (EMBEDDING_DIM, len(flat)))
    if not all(math.isfinite(x) for x in flat):
        raise ValueError("speaker embedding has non-finite values")
    return flat


def diarize_response(duration_s, segments, models):
    """The /v1/audio/diarize answer (SPEC §10 segments, with per-segment confidence)."""
    segs = sort_segments(segments)
    return {
        "duration": round(float(duration_s), 3),
        "segments": segs,
        "speakers_detected": speakers_detected(segs),
        "models": {"diarization": models.get("diarization")},
    }


def chunk_response(duration_s, segments, fingerprints, models):
    """The /v1/audio/diarize-chunk answer: segments, local speakers, one fingerprint per speaker."""
    body = diarize_response(duration_s, segments, models)
    body["fingerprints"] = {k: fingerprints[k] for k in body["speakers_detected"] if k in fingerprints}
    body["models"] = {"diarization": models.get("diarization"), "embedding": models.get("embedding")}
    return body
