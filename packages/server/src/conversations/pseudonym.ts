import { randomInt } from 'node:crypto';

// A short, friendly name to tell conversations apart ("Mika 27"). Random on purpose: derived from
// nothing about the visitor (no address, token or id), so it reveals and links nothing.
const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];

export function newPseudonym(): string {
  const syllable = () => ONSETS[randomInt(ONSETS.length)]! + VOWELS[randomInt(VOWELS.length)]!;
  const word = syllable() + syllable();
  return `${word[0]!.toUpperCase()}${word.slice(1)} ${randomInt(10, 100)}`;
}
