import os
import unittest

from tests import helpers
import audio_input


class SaveUpload(unittest.TestCase):
    def test_wav_is_kept_as_is(self):
        src = helpers.write_wav([(0.1, 5)])
        try:
            with open(src, "rb") as f:
                data = f.read()
            path = audio_input.save_upload(data)
            try:
                with open(path, "rb") as f:
                    self.assertEqual(f.read(), data)
            finally:
                os.unlink(path)
        finally:
            os.unlink(src)

    def test_empty_and_undecodable_uploads_are_client_errors(self):
        with self.assertRaises(audio_input.AudioError):
            audio_input.save_upload(b"")
        # No ffmpeg on PATH here: a clear AudioError (400), no temp file left behind.
        before = set(os.listdir(helpers.tempfile.gettempdir()))
        old = os.environ.get("PATH", "")
        os.environ["PATH"] = "/nonexistent"
        try:
            with self.assertRaisesRegex(audio_input.AudioError, "not WAV|Could not read"):
                audio_input.save_upload(b"ID3 not really an mp3", "a.mp3")
        finally:
            os.environ["PATH"] = old
        self.assertEqual(set(os.listdir(helpers.tempfile.gettempdir())), before)

    def test_a_broken_wav_header_is_a_client_error_and_leaves_no_temp_file(self):
        before = set(os.listdir(helpers.tempfile.gettempdir()))
        broken = b"RIFF\x24\x00\x00\x00WAVEjunkjunkjunk"
        # Not readable as PCM: it goes to ffmpeg, which is missing here → a clear AudioError (400).
        old = os.environ.get("PATH", "")
        os.environ["PATH"] = "/nonexistent"
        try:
            with self.assertRaisesRegex(audio_input.AudioError, "b.wav"):
                audio_input.save_upload(broken, "b.wav")
        finally:
            os.environ["PATH"] = old
        self.assertEqual(set(os.listdir(helpers.tempfile.gettempdir())), before)


if __name__ == "__main__":
    unittest.main()
