"""Shapes Parakeet's transcription (text + NeMo word/segment timestamps) into OpenAI's response
formats. Pure: no NeMo, no FastAPI."""

FORMATS = ("json", "text", "verbose_json", "srt", "vtt")


def words(stamps):
    return [
        {"word": str(w.get("word", "")).strip(), "start": round(float(w["start"]), 3), "end": round(float(w["end"]), 3)}
        for w in stamps.get("word", [])
        if "start" in w and "end" in w
    ]


def segments(stamps):
    out = []
    for i, s in enumerate(stamps.get("segment", [])):
        if "start" in s and "end" in s:
            text = str(s.get("segment", s.get("text", ""))).strip()
            out.append({"id": i, "start": round(float(s["start"]), 3), "end": round(float(s["end"]), 3), "text": text})
    return out


def _stamp(seconds, sep):
    ms = int(round(seconds * 1000))
    return "%02d:%02d:%02d%s%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, sep, ms % 1000)


def render_transcript(text, stamps, fmt, language=None):
    """A dict for the JSON formats, a string for text/srt/vtt."""
    if fmt == "text":
        return text
    if fmt in ("srt", "vtt"):
        sep = "," if fmt == "srt" else "."
        cues = []
        for i, s in enumerate(segments(stamps)):
            head = "%d\n" % (i + 1) if fmt == "srt" else ""
            cues.append("%s%s --> %s\n%s\n" % (head, _stamp(s["start"], sep), _stamp(s["end"], sep), s["text"]))
        return ("" if fmt == "srt" else "WEBVTT\n\n") + "\n".join(cues)
    if fmt == "verbose_json":
        ws, segs = words(stamps), segments(stamps)
        end = max([w["end"] for w in ws] + [s["end"] for s in segs] + [0.0])
        return {"task": "transcribe", "language": language or "english", "duration": end, "text": text, "words": ws, "segments": segs}
    return {"text": text}
