// Query hooks of the Audio lab. Neither the speaker library nor a result is pushed by the event
// stream: the library is read on mount and after each change here, a result when a job ends and
// again after an enrollment (the server names the speakers when the result is read).
import { useQuery } from '@tanstack/react-query';
import { getTranscript, listSpeakers } from './labApi.js';

export const labKeys = {
  all: ['audio-lab'] as const,
  speakers: ['audio-lab', 'speakers'] as const,
  result: (url: string) => ['audio-lab', 'result', url] as const,
};

export function useSpeakerLibrary() {
  return useQuery({ queryKey: labKeys.speakers, queryFn: ({ signal }) => listSpeakers(signal) });
}

export function useTranscript(resultUrl: string) {
  return useQuery({
    queryKey: labKeys.result(resultUrl),
    queryFn: ({ signal }) => getTranscript(resultUrl, signal),
    // A finished result only changes when the library does, and then it is invalidated here.
    staleTime: Infinity,
  });
}
