/**
 * Applies an accent colour passed in the frame URL, if it is a valid CSS colour, and picks black or
 * white text for it, whichever contrasts more (WCAG relative luminance).
 */
export function applyAccent(value: string | null, root: HTMLElement = document.documentElement): boolean {
  if (!value || value.length > 64 || !CSS.supports('color', value)) return false;
  root.style.setProperty('--direturn-accent', value);
  const rgb = toRgb(value, root);
  if (rgb) root.style.setProperty('--direturn-accent-contrast', contrastColor(rgb));
  return true;
}

function toRgb(value: string, root: HTMLElement): [number, number, number] | undefined {
  const probe = document.createElement('span');
  probe.style.color = value;
  probe.style.display = 'none';
  root.append(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  const match = computed.match(/rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastColor(rgb: [number, number, number]): '#000000' | '#ffffff' {
  const l = luminance(rgb);
  const withWhite = 1.05 / (l + 0.05);
  const withBlack = (l + 0.05) / 0.05;
  return withWhite >= withBlack ? '#ffffff' : '#000000';
}
