"""Fake nemo.collections.asr.models: SortformerEncLabelModel and EncDecSpeakerLabelModel with the
signatures of NeMo's real ones. Tests set the class-level script and read the recorded calls."""

import struct
import wave


class FakeTensor:
    """Enough of torch.Tensor for the adapter: detach(), cpu(), tolist()."""

    def __init__(self, data):
        self.data = data
        self.moved = []

    def detach(self):
        self.moved.append("detach")
        return self

    def cpu(self):
        self.moved.append("cpu")
        return self

    def tolist(self):
        return self.data


class _Pretrained:
    loaded = []

    @classmethod
    def from_pretrained(cls, model_name, **kwargs):
        _Pretrained.loaded.append((cls.__name__, model_name))
        return cls()

    def eval(self):
        self.evaluated = True
        return self


class SortformerEncLabelModel(_Pretrained):
    # Per-file outputs the next diarize() returns: segment strings and [1, T, 4] probabilities.
    script = {"segments": [], "probs": None, "error": None}
    calls = []

    def diarize(self, audio, batch_size=1, include_tensor_outputs=False, **kwargs):
        if not isinstance(audio, list):
            raise TypeError("audio must be a list of paths")
        SortformerEncLabelModel.calls.append({"audio": audio, "batch_size": batch_size, "tensors": include_tensor_outputs})
        if self.script.get("error"):
            raise RuntimeError(self.script["error"])
        segments = [list(self.script["segments"]) for _ in audio]
        if not include_tensor_outputs:
            return segments
        probs = self.script["probs"]
        return segments, [FakeTensor(probs) if probs is not None else None for _ in audio]


class EncDecSpeakerLabelModel(_Pretrained):
    """get_embedding(path) → [1, 192]: [clip seconds, mean sample / 1000, 0, …] so tests can see which audio it got."""

    calls = []
    fail_for_mean = None

    def get_embedding(self, path):
        with wave.open(path, "rb") as w:
            n, rate = w.getnframes(), w.getframerate()
            frames = w.readframes(n)
        samples = struct.unpack("<%dh" % n, frames) if n else ()
        mean = sum(samples) / len(samples) if samples else 0.0
        EncDecSpeakerLabelModel.calls.append(path)
        if self.fail_for_mean is not None and round(mean) == self.fail_for_mean:
            raise RuntimeError("CUDA error: CUBLAS_STATUS_EXECUTION_FAILED")
        return FakeTensor([[n / float(rate), mean / 1000.0] + [0.0] * 190])


class ASRModel(_Pretrained):
    pass
