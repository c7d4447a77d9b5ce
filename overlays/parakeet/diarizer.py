"""Thin adapter around NeMo's real API: Sortformer for who-spoke-when, TitaNet for voice
fingerprints. Everything that is not a NeMo call lives in diarize_core.py (pure, unit-tested).

  SortformerEncLabelModel.from_pretrained("nvidia/diar_sortformer_4spk-v1")
      .diarize(audio=[path], batch_size=1, include_tensor_outputs=True)
      -> (segments per file: ["<start> <end> speaker_<k>", ...],
          probabilities per file: tensor [1, frames, 4] of per-frame sigmoid scores)
  EncDecSpeakerLabelModel.from_pretrained("nvidia/speakerverification_en_titanet_large")
      .get_embedding(path) -> tensor [1, 192]
"""

import logging
import os
import tempfile

import diarize_core as core
from wav_windows import wav_duration, write_windows

DIARIZATION_MODEL = "nvidia/diar_sortformer_4spk-v1"
EMBEDDING_MODEL = "nvidia/speakerverification_en_titanet_large"

log = logging.getLogger("diarizer")


def to_list(value):
    """A torch tensor (any device) or nested sequence as plain nested lists."""
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "cpu"):
        value = value.cpu()
    if hasattr(value, "tolist"):
        value = value.tolist()
    return value


def frame_matrix(probs):
    """[1, T, S] or [T, S] → T rows of S floats (None when there is nothing usable)."""
    rows = to_list(probs)
    while isinstance(rows, list) and len(rows) == 1 and isinstance(rows[0], list) and rows[0] and isinstance(rows[0][0], list):
        rows = rows[0]
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], list):
        return None
    return rows


class SortformerDiarizer:
    """Loads both models once (NeMo downloads them on first use) and serves both routes."""

    def __init__(self, diar_model=None, embed_model=None):
        self._diar = diar_model
        self._embed = embed_model

    @property
    def diar(self):
        if self._diar is None:
            from nemo.collections.asr.models import SortformerEncLabelModel

            model = SortformerEncLabelModel.from_pretrained(DIARIZATION_MODEL)
            model.eval()
            self._diar = model
        return self._diar

    @property
    def embed(self):
        if self._embed is None:
            from nemo.collections.asr.models import EncDecSpeakerLabelModel

            model = EncDecSpeakerLabelModel.from_pretrained(EMBEDDING_MODEL)
            model.eval()
            self._embed = model
        return self._embed

    def models(self):
        return {"diarization": DIARIZATION_MODEL, "embedding": EMBEDDING_MODEL}

    def _segments(self, path, duration):
        raw_segments, raw_probs = self.diar.diarize(audio=[path], batch_size=1, include_tensor_outputs=True)
        probs = None
        try:
            probs = frame_matrix(raw_probs[0]) if raw_probs is not None and len(raw_probs) > 0 else None
        except Exception:  # a shape nobody predicted: segments stay, confidence becomes unknown
            log.warning("could not read Sortformer probabilities", exc_info=True)
        strings = raw_segments[0] if raw_segments else []
        if strings:
            segments = [core.parse_segment(s) for s in strings]
        elif probs:
            segments = core.segments_from_probs(probs, duration)
        else:
            segments = []
        return core.attach_confidence(segments, probs, duration)

    def diarize(self, path):
        duration = wav_duration(path)
        return core.diarize_response(duration, self._segments(path, duration), self.models())

    def diarize_chunk(self, path):
        duration = wav_duration(path)
        segments = self._segments(path, duration)
        fingerprints = {}
        for speaker in core.speakers_detected(segments):
            windows = core.fingerprint_windows(segments, speaker)
            try:
                fingerprints[speaker] = self._fingerprint(path, windows)
            except Exception:  # one bad speaker must not lose the chunk; the client sees it missing
                log.warning("no fingerprint for %s", speaker, exc_info=True)
        return core.chunk_response(duration, segments, fingerprints, self.models())

    def _fingerprint(self, path, windows):
        fd, clip = tempfile.mkstemp(suffix=".wav", prefix="titanet-")
        os.close(fd)
        try:
            write_windows(path, windows, clip)
            return core.flatten_embedding(to_list(self.embed.get_embedding(clip)))
        finally:
            os.unlink(clip)
