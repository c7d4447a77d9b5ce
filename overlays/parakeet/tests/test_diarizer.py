"""The NeMo adapter against the fake NeMo API: which models it loads, how it calls diarize() and
get_embedding(), and what it makes of their tensors."""

import os
import unittest

from tests import helpers
from nemo.collections.asr import models as fake

import diarizer


class DiarizerAdapter(unittest.TestCase):
    def setUp(self):
        fake._Pretrained.loaded.clear()
        fake.SortformerEncLabelModel.calls.clear()
        fake.EncDecSpeakerLabelModel.calls.clear()
        fake.EncDecSpeakerLabelModel.fail_for_mean = None
        # 4 s: Speaker_0 at sample level 1000 for 0–2.5 s, Speaker_1 at -2000 for 2.5–4 s.
        self.wav = helpers.write_wav([(2.5, 1000), (1.5, -2000)])
        fake.SortformerEncLabelModel.script = {
            "segments": ["0.000 2.500 speaker_0", "2.500 4.000 speaker_1"],
            # [1, T, 4] at 10 fps: 25 frames of speaker 0 at 0.8, 15 of speaker 1 at 0.6.
            "probs": [[[0.8, 0.1, 0.0, 0.0]] * 25 + [[0.3, 0.6, 0.0, 0.0]] * 15],
            "error": None,
        }

    def tearDown(self):
        os.unlink(self.wav)

    def test_loads_the_real_model_names_once_and_asks_for_tensors(self):
        d = diarizer.SortformerDiarizer()
        d.diarize(self.wav)
        d.diarize(self.wav)
        self.assertEqual(fake._Pretrained.loaded, [("SortformerEncLabelModel", "nvidia/diar_sortformer_4spk-v1")])
        self.assertEqual(fake.SortformerEncLabelModel.calls[0], {"audio": [self.wav], "batch_size": 1, "tensors": True})

    def test_diarize_segments_carry_confidence(self):
        body = diarizer.SortformerDiarizer().diarize(self.wav)
        self.assertEqual(body["duration"], 4.0)
        self.assertEqual(body["speakers_detected"], ["Speaker_0", "Speaker_1"])
        self.assertEqual(
            body["segments"],
            [
                {"start_s": 0.0, "end_s": 2.5, "speaker": "Speaker_0", "confidence": 0.8},
                {"start_s": 2.5, "end_s": 4.0, "speaker": "Speaker_1", "confidence": 0.6},
            ],
        )
        self.assertEqual(body["models"], {"diarization": "nvidia/diar_sortformer_4spk-v1"})

    def test_missing_tensor_means_unknown_confidence(self):
        fake.SortformerEncLabelModel.script["probs"] = None
        body = diarizer.SortformerDiarizer().diarize(self.wav)
        self.assertEqual([s["confidence"] for s in body["segments"]], [None, None])

    def test_segments_built_from_probabilities_when_nemo_gives_no_strings(self):
        fake.SortformerEncLabelModel.script["segments"] = []
        body = diarizer.SortformerDiarizer().diarize(self.wav)
        self.assertEqual([(s["start_s"], s["end_s"], s["speaker"]) for s in body["segments"]],
                         [(0.0, 2.5, "Speaker_0"), (2.5, 4.0, "Speaker_1")])

    def test_chunk_fingerprints_come_from_each_speakers_own_audio(self):
        body = diarizer.SortformerDiarizer().diarize_chunk(self.wav)
        self.assertIn(("EncDecSpeakerLabelModel", "nvidia/speakerverification_en_titanet_large"), fake._Pretrained.loaded)
        fp = body["fingerprints"]
        self.assertEqual(sorted(fp), ["Speaker_0", "Speaker_1"])
        self.assertTrue(all(len(v) == 192 for v in fp.values()))
        # The fake encodes [clip seconds, mean level / 1000]: each clip is only that speaker.
        self.assertEqual(fp["Speaker_0"][:2], [2.5, 1.0])
        self.assertEqual(fp["Speaker_1"][:2], [1.5, -2.0])
        self.assertEqual(body["models"]["embedding"], "nvidia/speakerverification_en_titanet_large")
        # Temp clips are removed.
        self.assertFalse(any(os.path.exists(p) for p in fake.EncDecSpeakerLabelModel.calls))

    def test_one_failing_embedding_loses_that_fingerprint_only(self):
        fake.EncDecSpeakerLabelModel.fail_for_mean = -2000
        with self.assertLogs("diarizer", "WARNING") as logged:
            body = diarizer.SortformerDiarizer().diarize_chunk(self.wav)
        self.assertIn("no fingerprint for Speaker_1", logged.output[0])
        self.assertEqual(sorted(body["fingerprints"]), ["Speaker_0"])
        self.assertEqual(body["speakers_detected"], ["Speaker_0", "Speaker_1"])

    def test_a_diarize_error_propagates_with_its_text(self):
        fake.SortformerEncLabelModel.script["error"] = "CUDA error: CUBLAS_STATUS_EXECUTION_FAILED"
        with self.assertRaisesRegex(RuntimeError, "CUBLAS_STATUS_EXECUTION_FAILED"):
            diarizer.SortformerDiarizer().diarize(self.wav)


if __name__ == "__main__":
    unittest.main()
