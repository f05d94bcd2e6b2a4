// Messenger takes at most 2000 characters of text per message, Instagram 1000 bytes (UTF-8):
// a longer reply goes out in parts, cut at a line break or space where one is near the limit.

export function splitText(text: string, fits: (part: string) => boolean): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest && !fits(rest)) {
    const chars = Array.from(rest);
    // The longest prefix (whole code points) that fits.
    let lo = 1;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(chars.slice(0, mid).join(''))) lo = mid;
      else hi = mid - 1;
    }
    let cut = lo;
    const prefix = chars.slice(0, lo).join('');
    const breakAt = Math.max(prefix.lastIndexOf('\n'), prefix.lastIndexOf(' '));
    // Only break at a space in the last fifth: otherwise a hard cut wastes less.
    if (breakAt > 0 && Array.from(prefix.slice(0, breakAt)).length > lo * 0.8) cut = Array.from(prefix.slice(0, breakAt)).length + 1;
    parts.push(chars.slice(0, cut).join('').trimEnd());
    rest = chars.slice(cut).join('').trimStart();
  }
  if (rest || parts.length === 0) parts.push(rest);
  return parts;
}

export const messengerFits = (part: string): boolean => Array.from(part).length <= 2000;
export const instagramFits = (part: string): boolean => Buffer.byteLength(part, 'utf8') < 1000;
