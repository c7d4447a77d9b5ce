import unittest

from tests import helpers  # noqa: F401  (sys.path)
from transcript_format import render_transcript

STAMPS = {
    "word": [{"word": " Hello", "start": 0.1, "end": 0.5}, {"word": "world.", "start": 0.6, "end": 1.2}],
    "segment": [{"segment": "Hello world.", "start": 0.1, "end": 1.2}],
}


class Formats(unittest.TestCase):
    def test_json_and_text(self):
        self.assertEqual(render_transcript("Hello world.", STAMPS, "json"), {"text": "Hello world."})
        self.assertEqual(render_transcript("Hello world.", STAMPS, "text"), "Hello world.")

    def test_verbose_json_words_are_trimmed(self):
        body = render_transcript("Hello world.", STAMPS, "verbose_json")
        self.assertEqual([w["word"] for w in body["words"]], ["Hello", "world."])
        self.assertEqual(body["duration"], 1.2)

    def test_subtitles(self):
        self.assertEqual(render_transcript("", STAMPS, "srt"), "1\n00:00:00,100 --> 00:00:01,200\nHello world.\n")
        self.assertTrue(render_transcript("", STAMPS, "vtt").startswith("WEBVTT\n\n00:00:00.100 --> "))


if __name__ == "__main__":
    unittest.main()
