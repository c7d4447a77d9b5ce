import unittest

from tests import helpers  # noqa: F401  (sys.path)
import diarize_core as core


def seg(a, b, k):
    return {"start_s": a, "end_s": b, "speaker": "Speaker_%d" % k}


class ParseSegment(unittest.TestCase):
    def test_reads_nemo_strings_and_tuples(self):
        self.assertEqual(core.parse_segment("0.240 3.120 speaker_1"), seg(0.24, 3.12, 1))
        self.assertEqual(core.parse_segment((1, 2.5, "speaker_0")), seg(1.0, 2.5, 0))
        self.assertEqual(core.parse_segment([1, 2, 3]), seg(1.0, 2.0, 3))

    def test_refuses_garbage_and_reversed_times(self):
        for bad in ("", "1 2", "a b speaker_0", "3 1 speaker_0", "-1 2 speaker_0", "nan 2 speaker_0"):
            with self.assertRaises(ValueError, msg=bad):
                core.parse_segment(bad)


class Confidence(unittest.TestCase):
    # 10 frames over 1 s (10 fps), two speakers.
    probs = [[0.9, 0.1]] * 5 + [[0.2, 0.6]] * 5

    def test_mean_of_the_assigned_speaker_over_its_frames(self):
        out = core.attach_confidence([seg(0.0, 0.5, 0), seg(0.5, 1.0, 1), seg(0.0, 1.0, 0)], self.probs, 1.0)
        self.assertEqual([s["confidence"] for s in out], [0.9, 0.6, 0.55])

    def test_partial_frames_are_counted(self):
        # 0.25–0.75 s covers frames 2..7 (ceil of the end), half of each speaker's run.
        out = core.attach_confidence([seg(0.25, 0.75, 1)], self.probs, 1.0)
        self.assertAlmostEqual(out[0]["confidence"], (0.1 * 3 + 0.6 * 3) / 6, places=4)

    def test_unknown_is_none_never_a_guess(self):
        self.assertIsNone(core.attach_confidence([seg(0, 1, 0)], None, 1.0)[0]["confidence"])
        self.assertIsNone(core.attach_confidence([seg(0, 1, 0)], [], 1.0)[0]["confidence"])
        self.assertIsNone(core.attach_confidence([seg(0, 1, 0)], self.probs, 0)[0]["confidence"])
        # A speaker the matrix has no column for, and a segment past the end of the audio.
        self.assertIsNone(core.attach_confidence([seg(0, 1, 3)], self.probs, 1.0)[0]["confidence"])
        self.assertIsNone(core.attach_confidence([seg(5, 6, 0)], self.probs, 1.0)[0]["confidence"])

    def test_frame_rate_comes_from_the_tensor_not_a_constant(self):
        # 63 frames for 5 s is Sortformer's 12.6 fps; the same matrix over 10 s is half that.
        probs = [[1.0, 0.0]] * 32 + [[0.0, 1.0]] * 31
        a = core.attach_confidence([seg(2.5, 5.0, 0)], probs, 5.0)[0]["confidence"]
        b = core.attach_confidence([seg(2.5, 5.0, 0)], probs, 10.0)[0]["confidence"]
        self.assertLess(a, 0.1)
        self.assertEqual(b, 1.0)


class SegmentsFromProbs(unittest.TestCase):
    def test_runs_above_threshold_with_overlap(self):
        probs = [[0.9, 0.0], [0.9, 0.7], [0.1, 0.8], [0.0, 0.2]]
        self.assertEqual(
            core.segments_from_probs(probs, 4.0),
            [seg(0.0, 2.0, 0), seg(1.0, 3.0, 1)],
        )

    def test_short_runs_dropped_and_empty_input(self):
        probs = [[0.9], [0.1], [0.9], [0.9]]
        self.assertEqual(core.segments_from_probs(probs, 4.0, min_duration_s=1.5), [seg(2.0, 4.0, 0)])
        self.assertEqual(core.segments_from_probs([], 4.0), [])


class FingerprintWindows(unittest.TestCase):
    def test_longest_turns_first_capped_and_in_time_order(self):
        segs = [seg(0, 4, 0), seg(5, 25, 0), seg(30, 45, 0), seg(50, 50.2, 0), seg(1, 2, 1)]
        self.assertEqual(core.fingerprint_windows(segs, "Speaker_0"), [(5, 25), (30, 40)])

    def test_short_speakers_still_get_their_longest_turn(self):
        segs = [seg(1, 1.2, 1), seg(2, 2.4, 1)]
        self.assertEqual(core.fingerprint_windows(segs, "Speaker_1"), [(2, 2.4)])
        self.assertEqual(core.fingerprint_windows(segs, "Speaker_2"), [])


class Shapes(unittest.TestCase):
    def test_embedding_must_be_192_finite_floats(self):
        self.assertEqual(len(core.flatten_embedding([[0.5] * 192])), 192)
        with self.assertRaises(ValueError):
            core.flatten_embedding([[0.5] * 191])
        with self.assertRaises(ValueError):
            core.flatten_embedding([float("nan")] * 192)

    def test_chunk_response_matches_spec_section_10(self):
        segs = [dict(seg(2, 3, 1), confidence=0.7), dict(seg(0, 1, 0), confidence=None)]
        fp = {"Speaker_0": [0.0] * 192, "Speaker_1": [1.0] * 192, "Speaker_9": [2.0] * 192}
        body = core.chunk_response(3.0, segs, fp, {"diarization": "d", "embedding": "e"})
        self.assertEqual(sorted(body), ["duration", "fingerprints", "models", "segments", "speakers_detected"])
        self.assertEqual([s["start_s"] for s in body["segments"]], [0, 2])
        self.assertEqual(body["speakers_detected"], ["Speaker_0", "Speaker_1"])
        self.assertEqual(sorted(body["fingerprints"]), ["Speaker_0", "Speaker_1"])
        self.assertEqual(body["models"], {"diarization": "d", "embedding": "e"})

    def test_speakers_sort_numerically(self):
        self.assertEqual(core.speakers_detected([seg(0, 1, 10), seg(0, 1, 2)]), ["Speaker_2", "Speaker_10"])


if __name__ == "__main__":
    unittest.main()
