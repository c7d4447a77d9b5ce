"""FastAPI routes of the diarizer (SPEC §10): POST /v1/audio/diarize and /v1/audio/diarize-chunk.
main.py calls install(app, diarizer); the work runs in a thread so the event loop stays free."""

import logging
import os

from fastapi import File, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool

from audio_input import AudioError, save_upload

log = logging.getLogger("diarize_routes")


async def _run(diarizer_method, upload):
    data = await upload.read()
    try:
        path = await run_in_threadpool(save_upload, data, upload.filename or "file")
    except AudioError as err:
        raise HTTPException(status_code=400, detail=str(err))
    try:
        return await run_in_threadpool(diarizer_method, path)
    except Exception as err:  # the gateway reads wedge signatures (CUBLAS_STATUS_…) from this text
        log.exception("diarization failed")
        raise HTTPException(status_code=500, detail="Diarization failed: %s: %s" % (type(err).__name__, err))
    finally:
        os.unlink(path)


def install(app, diarizer):
    @app.post("/v1/audio/diarize")
    async def diarize(file: UploadFile = File(...)):
        return await _run(diarizer.diarize, file)

    @app.post("/v1/audio/diarize-chunk")
    async def diarize_chunk(file: UploadFile = File(...)):
        return await _run(diarizer.diarize_chunk, file)
