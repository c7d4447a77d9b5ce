"""A small fake of NeMo's ASR collection: the names and call shapes the overlay uses, no models."""
from . import models  # noqa: F401  (nemo.collections.asr.models, as in NeMo)
