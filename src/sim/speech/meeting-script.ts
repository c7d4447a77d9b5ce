// A plausible meeting for the simulator's test recordings: lines picked by a seeded PRNG from a
// pool of things people say in a planning call, each speaker introduced in order (voice 0 first),
// then turns passing between speakers at random (never the same speaker twice in a row).
import type { MeetingLine } from './meeting-audio.js';

const POOL = [
  "Okay, I'm recording now. Thanks everyone for joining this morning.",
  'First item on the agenda is the model swap we scheduled for tonight.',
  'The new checkpoint finished downloading on both Sparks, so we can load it after the demo.',
  'Can you check that the speech services are still healthy?',
  'Yes, Parakeet and Magpie both answered the last probe, and the queue is empty.',
  'Great, then the second item is the budget for the next quarter.',
  "We're mostly fine, but the storage line is higher than we planned.",
  "Let's revisit that on Thursday when the numbers are final.",
  'I agree. Can someone send the summary to the whole team?',
  "Sure, I'll write it up after lunch.",
  'One more thing: the backup job failed twice last week.',
  'That was the disk on the second node. It has been replaced.',
  'Do we know how long the long recordings take to transcribe now?',
  'About three minutes for an hour of audio, with two chunks in parallel.',
  'That is good enough for the meeting notes.',
  'What about the speaker names? Last time everyone was just Speaker 1 and 2.',
  'The new library remembers voices once you enroll a short sample.',
  "Nice. I'll record a sample for each of us tomorrow.",
  'Please keep it under a minute, and speak normally.',
  'Anything else before we wrap up?',
  'No, that is everything from my side.',
  'Same here. Thanks, talk to you on Thursday.',
  'Can we move the demo to 3 pm? The client asked for a later slot.',
  'Fine by me, as long as the cluster is free by then.',
  'I will pause the batch jobs at 2 so the GPU is idle.',
  "Let's also test the fallback in case the network drops.",
  'Good point. The last outage took almost an hour to notice.',
  'We now get an alert within five minutes.',
];

/** A small seeded PRNG (LCG): enough to vary scripts, the same seed gives the same meeting. */
function lcg(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `speakers` (1..6) voices in a meeting of max(12, 6 × speakers) lines, voice k first speaking in line k. */
export function meetingScript(speakers: number, seed: number): MeetingLine[] {
  if (!Number.isInteger(speakers) || speakers < 1 || speakers > 6) {
    throw new RangeError(`speakers must be 1..6, got ${speakers}`);
  }
  const random = lcg(seed);
  const count = Math.max(12, 6 * speakers);
  const start = Math.floor(random() * POOL.length);
  const lines: MeetingLine[] = [];
  for (let i = 0; i < count; i++) {
    let speaker = i;
    if (i >= speakers) {
      const prev = lines[i - 1]?.speaker ?? 0;
      speaker = speakers === 1 ? 0 : (prev + 1 + Math.floor(random() * (speakers - 1))) % speakers;
    }
    lines.push({ speaker, text: POOL[(start + i) % POOL.length] as string });
  }
  return lines;
}
