"""The Parakeet app as patched by Spark Control: NeMo Parakeet ASR (OpenAI-style transcriptions),
/health listing the loaded models, and the diarizer routes. Runs inside NVIDIA's NeMo container
(`uvicorn main:app`); Spark Control copies it in with POST /api/speech-models/reapply.

  ASRModel.from_pretrained("nvidia/parakeet-tdt-0.6b-v2").transcribe([path], timestamps=True)
      -> [Hypothesis(text=..., timestamp={"word": [{"word", "start", "end"}], "segment": [...]})]
"""

import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, File, Form, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

import diarize_routes
from audio_input import AudioError, save_upload
from diarizer import SortformerDiarizer
from transcript_format import FORMATS, render_transcript

ASR_MODEL = os.environ.get("PARAKEET_MODEL", "nvidia/parakeet-tdt-0.6b-v2")
state = {"asr": None}
diarizer = SortformerDiarizer()


@asynccontextmanager
async def lifespan(_app):
    import nemo.collections.asr as nemo_asr

    model = nemo_asr.models.ASRModel.from_pretrained(model_name=ASR_MODEL)
    model.eval()
    state["asr"] = model
    diarizer.diar  # load Sortformer at start so the first request does not pay for it
    yield


app = FastAPI(title="parakeet-asr", lifespan=lifespan)
diarize_routes.install(app, diarizer)


@app.get("/health")
def health():
    models = {"asr": ASR_MODEL if state["asr"] is not None else None}
    models.update(diarizer.models())
    return {"status": "ok" if state["asr"] is not None else "loading", "models": models}


def _transcribe(path):
    hyp = state["asr"].transcribe([path], timestamps=True)[0]
    return getattr(hyp, "text", str(hyp)), getattr(hyp, "timestamp", None) or {}


@app.post("/v1/audio/transcriptions")
async def transcriptions(
    file: UploadFile = File(...),
    model: str = Form(None),
    language: str = Form(None),
    response_format: str = Form("json"),
):
    if response_format not in FORMATS:
        raise HTTPException(400, "Unsupported response_format '%s'. Use one of: %s." % (response_format, ", ".join(FORMATS)))
    data = await file.read()
    try:
        path = await run_in_threadpool(save_upload, data, file.filename or "file")
    except AudioError as err:
        raise HTTPException(400, str(err))
    try:
        text, stamps = await run_in_threadpool(_transcribe, path)
    except Exception as err:
        raise HTTPException(500, "Transcription failed: %s: %s" % (type(err).__name__, err))
    finally:
        os.unlink(path)
    body = render_transcript(text, stamps, response_format, language)
    return PlainTextResponse(body) if isinstance(body, str) else body
